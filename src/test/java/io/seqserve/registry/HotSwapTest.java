package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
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
 * Versions dropped into the models root appear without a restart; under continuous load the old
 * version serves until the new one is available, then drains, and no request fails. A broken newer
 * version fails alone and the current one keeps serving.
 */
class HotSwapTest extends ServerTest {

    private static final String MODEL = "swap-sunspots";
    private static final String BODY =
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 24, 1], \"datatype\": \"FP32\", \"data\": ["
                    + "0.5,".repeat(23) + "0.5]}]}";

    @Test
    void aNewVersionTakesOverUnderLoadWithoutAFailedRequest() throws Exception {
        Path modelDir = TestModelRoot.get().resolve(MODEL);
        publish(modelDir, 1, "sunspots_lstm_w24.pt");
        awaitState(1, "available");

        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = post("/v2/models/" + MODEL + "/infer", BODY);
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        } else {
                            servedBy.computeIfAbsent(
                                            json(r).get("model_version").asString(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        Thread.sleep(300);
        publish(modelDir, 2, "sunspots_lstm_w24.pt");
        awaitState(2, "available");
        awaitState(1, "unloaded");
        Thread.sleep(300);
        publish(modelDir, 3, null);
        awaitState(3, "failed");
        Thread.sleep(300);
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();

        assertThat(failures).isEmpty();
        assertThat(servedBy.keySet()).containsExactlyInAnyOrder("1", "2");
        assertThat(servedBy.get("2").get()).isPositive();
        JsonNode current = json(get("/v1/models/" + MODEL));
        assertThat(current.get("version").asInt()).isEqualTo(2);
        assertThat(json(get("/v1/models/" + MODEL + "/versions/3")).get("error").asString())
                .isNotBlank();
    }

    /** Writes a version beside the model, then renames it into place, as a deployment tool should. */
    private static void publish(Path modelDir, int version, String torchscript) throws IOException {
        Path staging = Files.createTempDirectory(TestModelRoot.get(), ".publish-");
        if (torchscript != null) {
            Files.copy(
                    TestModelRoot.SHARED.resolve("pytorch/sunspots_lstm_w24/" + torchscript),
                    staging.resolve(torchscript));
            Files.writeString(
                    staging.resolve("seqserve.yaml"),
                    "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: [-1, 24, 1]}\n");
        } else {
            Files.writeString(staging.resolve("broken.pt"), "not a TorchScript archive");
        }
        Files.createDirectories(modelDir);
        Files.move(staging, modelDir.resolve(String.valueOf(version)), StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitState(int version, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("/v1/models/" + MODEL + "/versions/" + version);
            if (r.statusCode() == 200 && json(r).get("state").asString().equals(state)) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("version %d %s in time (last: %s)", version, state, r.body())
                    .isLessThan(until);
            Thread.sleep(50);
        }
    }
}
