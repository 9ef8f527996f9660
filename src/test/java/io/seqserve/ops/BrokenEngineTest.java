package io.seqserve.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ForkedServer;
import io.seqserve.testing.HttpTest;
import io.seqserve.testing.TestModelRoot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A replica whose engines cannot run never says it is ready (issue 18). The real application in its own
 * JVM with TensorFlow's library path at an empty {@code libjnitensorflow.so} (the dynamic linker says "file
 * too short", as a noexec mount says "failed to map segment") and ONNX Runtime's native path at an empty
 * folder; PyTorch is fine. Readiness must be 503 and say why, health must name the engines and the reasons,
 * requests for the broken engines' models must answer 503 with the reason and a Retry-After (the host's
 * fault), while the PyTorch model serves and a model broken on its own files stays a 422.
 */
@HttpTest
class BrokenEngineTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ForkedServer server;

    @BeforeAll
    static void startWithBrokenEngines() throws Exception {
        Path work = Files.createTempDirectory("seqserve-broken-engines-");
        Path models = Files.createDirectories(work.resolve("models"));
        TestModelRoot.copy(
                TestModelRoot.SHARED.resolve("savedmodels/half_plus_two_cpu"), models.resolve("half_plus_two/123"));
        Path sunspots = Files.createDirectories(models.resolve("sunspots/1"));
        Files.copy(
                TestModelRoot.SHARED.resolve("pytorch/sunspots_lstm_w24/sunspots_lstm_w24.pt"),
                sunspots.resolve("model.pt"));
        String manifest = "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: [-1, 24, 1]}\n";
        Files.writeString(sunspots.resolve("seqserve.yaml"), manifest);
        Path onnx = Files.createDirectories(models.resolve("sunspots-onnx/1"));
        Files.copy(
                TestModelRoot.SHARED.resolve("pytorch/sunspots_lstm_w24/sunspots_lstm_w24.onnx"),
                onnx.resolve("model.onnx"));
        Path corrupt = Files.createDirectories(models.resolve("corrupt-torchscript/1"));
        Files.writeString(corrupt.resolve("model.pt"), "not a zip archive");
        Files.writeString(corrupt.resolve("seqserve.yaml"), manifest);

        Path tensorflow = Files.createDirectories(work.resolve("tensorflow-natives"));
        Files.createFile(tensorflow.resolve("libjnitensorflow.so"));
        Path onnxRuntime = Files.createDirectories(work.resolve("onnxruntime-natives"));

        server = ForkedServer.start(
                Map.of("TENSORFLOW_LIBRARY_PATH", tensorflow.toString()),
                List.of("-Donnxruntime.native.path=" + onnxRuntime),
                List.of("--seqserve.models.root=" + models, "--seqserve.data.dir=" + work.resolve("data")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Readiness once the start-up loads have finished: DOWN, not merely "still loading". */
    private static JsonNode settledReadiness() throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            HttpResponse<String> readyz = server.get("/readyz");
            assertThat(readyz.statusCode()).as(readyz.body()).isEqualTo(503);
            if (json(readyz).path("status").asString().equals("DOWN")
                    && !readyz.body().contains("still loading")) {
                return json(readyz);
            }
            assertThat(System.nanoTime())
                    .as("readiness settles; last: " + readyz.body())
                    .isLessThan(until);
            Thread.sleep(200);
        }
    }

    @Test
    void readinessIsDownAndSaysWhichEnginesAndModelsAndWhy() throws Exception {
        JsonNode readyz = settledReadiness();
        JsonNode registry = readyz.at("/components/modelRegistry/details");
        assertThat(registry.path("engines").path("PyTorch").asString()).startsWith("up (");
        assertThat(registry.path("engines").path("TensorFlow").asString())
                .startsWith("down: ")
                .contains("file too short");
        assertThat(registry.path("engines").path("OnnxRuntime").asString())
                .startsWith("down: ")
                .contains("onnxruntime");
        assertThat(registry.path("problems").toString())
                .contains(
                        "engine TensorFlow is down",
                        "engine OnnxRuntime is down",
                        "model 'half_plus_two' version 123 failed to load because of the environment",
                        "model 'sunspots-onnx' version 1 failed to load because of the environment")
                .doesNotContain("corrupt-torchscript");

        assertThat(server.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(server.get("/v2/health/ready").statusCode()).isEqualTo(503);
        assertThat(server.get("/livez").statusCode())
                .as("alive: restarting would not help, and must not loop")
                .isEqualTo(200);
    }

    @Test
    void healthHasAComponentPerEngineWithTheReason() throws Exception {
        settledReadiness();
        JsonNode engines = json(server.get("/actuator/health")).at("/components/engines/components");
        assertThat(engines.path("PyTorch").path("status").asString()).isEqualTo("UP");
        assertThat(engines.path("PyTorch").at("/details/version").asString()).isNotBlank();
        assertThat(engines.path("TensorFlow").path("status").asString()).isEqualTo("DOWN");
        assertThat(engines.path("TensorFlow").at("/details/reason").asString())
                .contains("Failed to load TensorFlow native library", "libjnitensorflow.so", "file too short");
        assertThat(engines.path("OnnxRuntime").path("status").asString()).isEqualTo("DOWN");
        assertThat(engines.path("OnnxRuntime").at("/details/reason").asString()).contains("onnxruntime");
        assertThat(server.get("/actuator/prometheus").body())
                .contains(
                        "seqserve_engine_up{application=\"seqserve\",engine=\"TensorFlow\"} 0.0",
                        "seqserve_engine_up{application=\"seqserve\",engine=\"PyTorch\"} 1.0");
    }

    @Test
    void theLogSaysOnceAtStartWhichEnginesAreUpAndWhichAreDown() throws Exception {
        settledReadiness();
        String log = server.log();
        for (String line : List.of(
                "Engine self-check: TensorFlow is down: Failed to load TensorFlow native library",
                "Engine self-check: OnnxRuntime is down: ",
                "Engine self-check: PyTorch ")) {
            assertThat(log.split(java.util.regex.Pattern.quote(line), -1))
                    .as(line)
                    .hasSize(2);
        }
    }

    @Test
    void requestsForTheBrokenEnginesModelsAreTheServersFaultWithTheReason() throws Exception {
        settledReadiness();
        for (String path :
                List.of("/v1/models/half_plus_two:predict", "/v1/models/half_plus_two/versions/123:predict")) {
            HttpResponse<String> answer = server.post(path, "{\"instances\": [1.0, 2.0, 5.0]}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("15");
            assertThat(answer.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(json(answer).path("detail").asString())
                    .contains(
                            "because of this server's environment",
                            "the TensorFlow engine is not available on this host",
                            "file too short");
        }
        String window = Files.readString(Path.of("bench/sunspots-instance.json"));
        HttpResponse<String> onnx = server.post(
                "/v2/models/sunspots-onnx/infer",
                "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 24, 1]," + " \"datatype\": \"FP32\", \"data\": "
                        + zeros(24) + "}]}");
        assertThat(onnx.statusCode()).as(onnx.body()).isEqualTo(503);
        assertThat(json(onnx).path("detail").asString()).contains("OnnxRuntime engine is not available");

        HttpResponse<String> pytorch = server.post("/v1/models/sunspots:predict", window);
        assertThat(pytorch.statusCode())
                .as("the engine that works serves: " + pytorch.body())
                .isEqualTo(200);
        HttpResponse<String> corrupt = server.post("/v1/models/corrupt-torchscript:predict", window);
        assertThat(corrupt.statusCode())
                .as("a model broken on its own files is still the model's fault: " + corrupt.body())
                .isEqualTo(422);
    }

    @Test
    void modelViewsShowTheFailuresClassAndReason() throws Exception {
        settledReadiness();
        JsonNode tensorflow = json(server.get("/v1/models/half_plus_two"));
        assertThat(tensorflow.path("state").asString()).isEqualTo("failed");
        assertThat(tensorflow.path("engine").asString()).isEqualTo("TensorFlow");
        assertThat(tensorflow.at("/failure/class").asString()).isEqualTo("environment");
        assertThat(tensorflow.at("/failure/reason").asString())
                .contains("file too short")
                .isEqualTo(tensorflow.path("error").asString());
        JsonNode corrupt = json(server.get("/v1/models/corrupt-torchscript/versions/1"));
        assertThat(corrupt.at("/failure/class").asString()).isEqualTo("model");
        assertThat(corrupt.at("/failure/reason").asString()).contains("PyTorch engine could not load the model");
        JsonNode list = json(server.get("/v1/models"));
        assertThat(list.toString()).contains("\"class\":\"environment\"", "\"class\":\"model\"");
        JsonNode sunspots = json(server.get("/v1/models/sunspots"));
        assertThat(sunspots.path("failure").isNull()).as(sunspots.toString()).isTrue();
    }

    private static String zeros(int n) {
        return "[" + String.join(",", java.util.Collections.nCopies(n, "0.0")) + "]";
    }
}
