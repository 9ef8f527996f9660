package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.Failure;
import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13 item 5, reproduced on a real engine over HTTP: three versions, the newest broken, the serving
 * one's directory deleted by hand while clients call the bare name. The bare name must fall back to the
 * older version, answering 503 with Retry-After while it loads, and never with the failed or the
 * unloading version's error.
 */
class ServingFallbackTest extends ServerTest {

    private static final String MODEL = "swap-fallback";
    private static final String BODY =
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 24, 1], \"datatype\": \"FP32\", \"data\": ["
                    + "0.5,".repeat(23) + "0.5]}]}";

    @Test
    void deletingTheServingVersionByHandFallsBackToTheNewestAvailableOneAndNeverToTheFailedOne() throws Exception {
        Path staging = Files.createTempDirectory(TestModelRoot.get(), ".publish-");
        version(staging.resolve("1"), true);
        version(staging.resolve("2"), true);
        version(staging.resolve("3"), false);
        Path modelDir = TestModelRoot.get().resolve(MODEL);
        Files.move(staging, modelDir, StandardCopyOption.ATOMIC_MOVE);
        awaitState(3, "failed");
        awaitState(2, "available");
        assertThat(state(1)).as("never loaded").isEqualTo("new");

        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
        List<HttpResponse<String>> refused = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = post("/v2/models/" + MODEL + "/infer", BODY);
                        if (r.statusCode() == 200) {
                            servedBy.computeIfAbsent(
                                            json(r).get("model_version").asString(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        } else {
                            refused.add(r);
                        }
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                }
                return null;
            }));
        }
        awaitServed(servedBy, "2");
        AtomicFiles.deleteTree(modelDir.resolve("2"));
        awaitState(1, "available");
        awaitServed(servedBy, "1");
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();

        assertThat(errors).isEmpty();
        assertThat(servedBy.keySet()).containsExactlyInAnyOrder("1", "2");
        for (HttpResponse<String> r : refused) {
            JsonNode problem = assertProblem(r, Failure.Code.VERSION_LOADING);
            assertThat(r.headers().firstValue("Retry-After")).as(r.body()).isPresent();
            assertThat(problem.get("detail").asString())
                    .as("never the failed or the unloading version")
                    .doesNotContain("version 3", "version 2", "failed", "not a TorchScript");
        }
        JsonNode failed =
                assertProblem(post("/v2/models/" + MODEL + "/versions/3/infer", BODY), Failure.Code.VERSION_FAILED);
        assertThat(failed.get("detail").asString()).contains("version 3 failed to load");
        assertProblem(post("/v2/models/" + MODEL + "/versions/2/infer", BODY), Failure.Code.VERSION_NOT_FOUND);
        assertThat(json(get("/v1/models/" + MODEL)).get("version").asInt()).isEqualTo(1);
    }

    private static void version(Path dir, boolean working) throws IOException {
        Files.createDirectories(dir);
        if (working) {
            Files.copy(
                    TestModelRoot.SHARED.resolve("pytorch/sunspots_lstm_w24/sunspots_lstm_w24.pt"),
                    dir.resolve("sunspots_lstm_w24.pt"));
            Files.writeString(
                    dir.resolve("seqserve.yaml"),
                    "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: [-1, 24, 1]}\n");
        } else {
            Files.writeString(dir.resolve("broken.pt"), "not a TorchScript archive");
        }
    }

    private String state(int version) throws Exception {
        HttpResponse<String> r = get("/v1/models/" + MODEL + "/versions/" + version);
        return r.statusCode() == 200 ? json(r).get("state").asString() : "HTTP " + r.statusCode();
    }

    private void awaitState(int version, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last;
        while (!(last = state(version)).equals(state)) {
            assertThat(System.nanoTime())
                    .as("version %d %s in time (last: %s)", version, state, last)
                    .isLessThan(until);
            Thread.sleep(50);
        }
    }

    private static void awaitServed(Map<String, AtomicInteger> servedBy, String version) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (servedBy.getOrDefault(version, new AtomicInteger()).get() < 20) {
            assertThat(System.nanoTime())
                    .as("requests served by version %s in time", version)
                    .isLessThan(until);
            Thread.sleep(20);
        }
    }
}
