package io.seqserve.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13's fuzz suite, in the default test run: 10,000 generated requests (seeded, so a failure
 * reproduces with {@code -Dseqserve.fuzz.seed=N}) over every endpoint family, each a valid request mutated
 * in its body (types, extremes, unknown and repeated fields, nesting, truncation, bad UTF-8, noise), its
 * headers (content types, multipart boundaries, timeouts, forwarding headers, chunking) or its path. Every
 * answer is below 500, every 4xx is problem+json with its status, {@code /livez} stays up, and no string the
 * suite made up becomes a metric tag value.
 */
class FuzzTest extends ServerTest {

    private static final long SEED = Long.getLong("seqserve.fuzz.seed", 13L);
    private static final int REQUESTS = Integer.getInteger("seqserve.fuzz.requests", 10_000);
    private static final String[] CONTENT_TYPES = {
        "application/json; charset=utf-8",
        "application/json; charset=ISO-8859-1",
        "text/plain",
        "text/csv",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "application/problem+json",
        "*/*",
        ";;",
        "application/json; boundary=x",
        "application/xml",
        null
    };
    private static final String[] TIMEOUTS = {"abc", "-1", "0", "99999999999999999999", "1.5", "", "5000", "600001"};
    private static final String[] ACCEPTS = {"application/xml", "text/event-stream", "*/*", "application/json", "x/y"};

    @Test
    void generatedRequestsNeverBreakTheServer() throws Exception {
        publishModels();
        List<Family> families = Families.all();
        SplittableRandom random = new SplittableRandom(SEED);
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            probes.add(probe(families.get(random.nextInt(families.size())), random.split()));
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Probe probe : probes) {
                done.add(clients.submit(() -> {
                    check(probe, failures);
                    if (sent.incrementAndGet() % 1000 == 0) {
                        check(new Probe("GET", "/livez", null, null, List.of(), false), failures);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf(
                "fuzz: seed %d, %d requests in %.1f s; answers by endpoint and status:%n",
                SEED, REQUESTS, (System.nanoTime() - start) / 1e9);
        statuses.forEach((k, v) -> System.out.println("fuzz:   " + k + " x" + v));
        assertThat(failures)
                .as("seed %d: %d of %d requests broke a rule", SEED, failures.size(), REQUESTS)
                .isEmpty();
        assertThat(get("/livez").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").body())
                .as("a string the client made up became a tag value")
                .doesNotContain(Mutator.MARK);
    }

    /** A request as sent: method, path, content type (null: none), body (null: none), extra headers. */
    record Probe(String method, String path, String contentType, byte[] body, List<String> headers, boolean chunked) {
        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + "] " + headers + (chunked ? " chunked " : " ") + text;
        }
    }

    private Probe probe(Family family, SplittableRandom random) {
        Mutator mutator = new Mutator(random);
        String template = family.paths().get(random.nextInt(family.paths().size()));
        String name = family.realModels().isEmpty() || random.nextInt(4) == 0
                ? Mutator.MARK + "-" + Long.toHexString(random.nextLong() & 0xffffff)
                : family.realModels().get(random.nextInt(family.realModels().size()));
        if (random.nextInt(20) == 0) {
            name = URLEncoder.encode(Mutator.MARK + "/..\\é" + random.nextInt(10), StandardCharsets.UTF_8);
        }
        String path = template.contains("%s") ? template.formatted(name) : template;
        JsonNode valid = family.corpus().get(random.nextInt(family.corpus().size()));
        byte[] body;
        if (family.bytesOnly()) {
            byte[] text = valid.asString().getBytes(StandardCharsets.UTF_8);
            body = random.nextInt(3) == 0 ? text : mutator.damage(text);
        } else if (random.nextInt(10) == 0) {
            body = Mutator.write(family.guard().apply(valid.deepCopy())).getBytes(StandardCharsets.UTF_8);
        } else {
            body = mutator.mutate(family.guard().apply(valid.deepCopy()));
            try {
                JsonNode sent = Mutator.parse(new String(body, StandardCharsets.UTF_8));
                JsonNode guarded = family.guard().apply(sent.deepCopy());
                if (!guarded.equals(sent)) {
                    body = Mutator.write(guarded).getBytes(StandardCharsets.UTF_8);
                }
            } catch (RuntimeException notJson) {
                // damaged at the byte level: sent as it is
            }
        }
        String contentType = family.contentType();
        List<String> headers = new ArrayList<>();
        if (random.nextInt(6) == 0) {
            contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
            if ("multipart/form-data; boundary=".equals(contentType)) {
                contentType += "b".repeat(random.nextInt(1, 6000));
            }
        }
        if (random.nextInt(8) == 0) {
            headers.addAll(List.of("Request-Timeout-Ms", TIMEOUTS[random.nextInt(TIMEOUTS.length)]));
        }
        if (random.nextInt(10) == 0) {
            headers.addAll(List.of("Accept", ACCEPTS[random.nextInt(ACCEPTS.length)]));
        }
        if (random.nextInt(10) == 0) {
            headers.addAll(List.of("X-Forwarded-For", "127.0.0.1, 10.0.0." + random.nextInt(255)));
        }
        String method = random.nextInt(40) == 0
                ? new String[] {"PUT", "PATCH", "DELETE", "OPTIONS"}[random.nextInt(4)]
                : family.method();
        if (family.name().startsWith("timeout")) {
            headers.addAll(List.of("Request-Timeout-Ms", "3000"));
        }
        return new Probe(method, path, contentType, body, headers, random.nextInt(4) == 0);
    }

    private final Map<String, AtomicInteger> statuses = new ConcurrentSkipListMap<>();

    private void check(Probe probe, List<String> failures) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + probe.path()))
                    .timeout(Duration.ofSeconds(60));
            byte[] body = probe.body() == null ? new byte[0] : probe.body();
            HttpRequest.BodyPublisher publisher = probe.chunked()
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> (InputStream) new ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            request.method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody() : publisher);
            if (probe.contentType() != null) {
                request.header("Content-Type", probe.contentType());
            }
            for (int i = 0; i < probe.headers().size(); i += 2) {
                request.header(probe.headers().get(i), probe.headers().get(i + 1));
            }
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            statuses.computeIfAbsent(
                            probe.method() + " " + probe.path().replaceAll("qz[^/:?]*|%[^/:?]*", "*") + " " + status,
                            k -> new AtomicInteger())
                    .incrementAndGet();
            if (status >= 500) {
                failures.add(status + " for " + probe + " -> " + r.body());
            } else if (status >= 400 && !isProblem(r, status)) {
                failures.add("not problem+json: " + status + " " + r.headers().firstValue("Content-Type") + " for "
                        + probe + " -> " + r.body());
            }
        } catch (Exception e) {
            failures.add(e + " for " + probe);
        }
    }

    private static boolean isProblem(HttpResponse<String> r, int status) {
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return false;
        }
        try {
            JsonNode problem = JSON.readTree(r.body());
            return problem.path("status").asInt() == status
                    && problem.has("type")
                    && !problem.path("detail").asString().isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A text model and a forecaster of the suite's own (the baseline models stay as built). */
    private void publishModels() throws Exception {
        Path root = TestModelRoot.get();
        publish(root, "fuzz-lm", dir -> {
            io.seqserve.testing.TestSavedModels.knownAnswerLanguageModel(dir, 7);
            Files.writeString(
                    dir.resolve("seqserve.yaml"),
                    "task: text-generation\ntext_generation:\n  level: char\n  output: logits\n  context_length: 4\n"
                            + "  pad_token: a\n  vocabulary: [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\"]\n");
        });
        publish(root, "fuzz-fc", dir -> {
            Path source = TestModelRoot.SHARED.resolve("pytorch/sunspots_lstm_w24/sunspots_lstm_w24.pt");
            Files.copy(source, dir.resolve("model.pt"));
            Files.writeString(
                    dir.resolve("seqserve.yaml"),
                    "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: [-1, 24, 1]}\n"
                            + "task: forecasting\nforecasting: {window: 24, features: 1}\n");
        });
    }

    interface Writer {
        void write(Path dir) throws Exception;
    }

    private void publish(Path root, String name, Writer writer) throws Exception {
        if (!Files.exists(root.resolve(name))) {
            Path staging = Files.createTempDirectory(root, ".publish-");
            Files.createDirectories(staging.resolve("1"));
            writer.write(staging.resolve("1"));
            Files.createDirectories(root.resolve(name));
            Files.move(staging.resolve("1"), root.resolve(name).resolve("1"), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(staging);
        }
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!get("/v1/models/" + name).body().contains("\"available\"")) {
            assertThat(System.nanoTime()).as(name + " available in time").isLessThan(until);
            Thread.sleep(100);
        }
    }
}
