package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Base of the generation HTTP tests: publishes the models they need into the shared models root (once
 * per JVM, under names starting with {@code gen-}), reads SSE responses and Prometheus counters.
 */
abstract class GenerationServerTest extends ServerTest {

    /** The vocabulary of the known-answer models; id = index, the next token of t is t + 1 mod 7. */
    static final List<String> VOCAB = List.of("a", "b", "c", "d", "é", "f", "\n");

    static final String VOCAB_YAML = "[\"a\", \"b\", \"c\", \"d\", \"é\", \"f\", \"\\n\"]";

    private static final Set<String> PUBLISHED = ConcurrentHashMap.newKeySet();

    /** Writes version 1 of a model. */
    interface VersionWriter {
        void write(Path versionDir) throws Exception;
    }

    /** A streamed response: its {@code data:} events (without [DONE]), whether [DONE] came, and the raw text. */
    record Sse(int status, String contentType, List<JsonNode> events, boolean done, String body) {

        String tokens() {
            StringBuilder text = new StringBuilder();
            events.stream()
                    .filter(e -> e.has("token"))
                    .forEach(e -> text.append(e.get("token").asString()));
            return text.toString();
        }

        JsonNode last() {
            return events.get(events.size() - 1);
        }
    }

    /** Publishes {@code name}/1 (written to a temp dir, renamed into place) once, and waits until it has loaded. */
    protected void model(String name, VersionWriter writer) throws Exception {
        if (PUBLISHED.add(name)) {
            Path root = TestModelRoot.get();
            Path staging = Files.createTempDirectory(root, ".publish-");
            Path version = staging.resolve("1");
            writer.write(version);
            Files.createDirectories(root.resolve(name));
            Files.move(version, root.resolve(name).resolve("1"), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(staging);
        }
        awaitAvailable(name);
    }

    /** The known-answer model of TestSavedModels with a manifest made of {@code textGeneration} lines. */
    protected void knownModel(String name, String textGeneration) throws Exception {
        model(name, dir -> {
            io.seqserve.testing.TestSavedModels.knownAnswerLanguageModel(dir, VOCAB.size());
            manifest(dir, textGeneration);
        });
    }

    static void manifest(Path dir, String textGenerationLines) throws IOException {
        Files.writeString(
                dir.resolve("seqserve.yaml"), "task: text-generation\ntext_generation:\n" + textGenerationLines);
    }

    static void copy(String sharedModel, Path dir) throws IOException {
        TestModelRoot.copy(TestModelRoot.SHARED.resolve("savedmodels").resolve(sharedModel), dir);
    }

    private void awaitAvailable(String name) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            HttpResponse<String> r = get("/v1/models/" + name + "/versions/1");
            if (r.statusCode() == 200) {
                String state = json(r).path("state").asString();
                if (state.equals("failed") && name.startsWith("gen-bad-")) {
                    return; // unusable on purpose: the task check fails it at load
                }
                assertThat(state).as("%s failed to load: %s", name, r.body()).isNotEqualTo("failed");
                if (state.equals("available")) {
                    return;
                }
            }
            assertThat(System.nanoTime())
                    .as("%s available in time (last: %s)", name, r.body())
                    .isLessThan(until);
            Thread.sleep(50);
        }
    }

    protected HttpResponse<String> generate(String model, String body) throws IOException, InterruptedException {
        return post("/v1/models/" + model + ":generate", body);
    }

    /** POSTs and reads the whole event stream; heartbeat comments are skipped. */
    protected Sse stream(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        List<JsonNode> events = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        boolean done = false;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                raw.append(line).append('\n');
                if (line.equals("data: [DONE]")) {
                    done = true;
                } else if (line.startsWith("data: ")) {
                    events.add(JSON.readTree(line.substring(6)));
                }
            }
        }
        return new Sse(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                events,
                done,
                raw.toString());
    }

    /** Sum of a Prometheus counter's series for one model (and outcome, when given). */
    protected double counter(String metric, String model, String outcome) throws IOException, InterruptedException {
        Pattern series = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Matcher m = series.matcher(get("/actuator/prometheus").body());
        double sum = 0;
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("model=\"" + model + "\"")
                    && (outcome == null || labels.contains("outcome=\"" + outcome + "\""))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    static String quote(String text) {
        return JSON.writeValueAsString(text);
    }
}
