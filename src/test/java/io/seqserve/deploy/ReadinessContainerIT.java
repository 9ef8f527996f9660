package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Readiness tells the truth in the real image (issue 18). The image normally loads every native library
 * from its read-only {@code /opt/seqserve/natives} ({@link ContainerImageIT}); here two of them are made to
 * land on {@code /tmp} at start, as an image that does not unpack them at build time would: ONNX
 * Runtime's native path is left unset (the entrypoint is replaced, so it unpacks into
 * {@code java.io.tmpdir}) and {@code ENGINE_CACHE_DIR} points under {@code /tmp} (DJL unpacks PyTorch's
 * JNI library there). Read-only root, demo models, no network, in two containers:
 * <ul>
 *   <li>{@code /tmp} on Docker's default {@code noexec} tmpfs: the dynamic linker refuses both
 *       ("failed to map segment from shared object"), so PyTorch and ONNX Runtime fail their self-check;
 *       the replica must never say ready, must say which engines and why, and must answer their models'
 *       requests with 503 + Retry-After, while TensorFlow's model serves;</li>
 *   <li>{@code /tmp} writable and executable ({@code --tmpfs /tmp:exec}), as docs/deployment.md says such
 *       an image needs: every demo version loads and the replica is ready.</li>
 * </ul>
 */
@ContainerTest
class ReadinessContainerIT {

    private static final Path MODELS = Path.of("models").toAbsolutePath();
    private static SeqserveContainer noexec;
    private static SeqserveContainer exec;

    @BeforeAll
    static void start() throws Exception {
        String image = SeqserveImage.get();
        noexec = nativesUnpackedAtStart(image, "/tmp").start();
        exec = nativesUnpackedAtStart(image, "/tmp:exec").start();
    }

    /** The image with ONNX Runtime's libraries and PyTorch's JNI library unpacked into /tmp at start. */
    private static SeqserveContainer nativesUnpackedAtStart(String image, String tmpfs) {
        return SeqserveContainer.of(image)
                .with(
                        "--read-only",
                        "--tmpfs",
                        tmpfs,
                        "--network",
                        "none",
                        "--cap-drop",
                        "ALL",
                        "--security-opt",
                        "no-new-privileges",
                        "--entrypoint",
                        "java")
                .env("ENGINE_CACHE_DIR", "/tmp/djl-engines")
                .mount(MODELS.toString(), "/models", true)
                .command("-jar", "seqserve.jar");
    }

    @AfterAll
    static void remove() {
        for (SeqserveContainer container : new SeqserveContainer[] {noexec, exec}) {
            if (container != null) {
                container.close();
            }
        }
    }

    /** Readiness of the noexec container once its start-up loads are over: DOWN, not merely loading. */
    private static JsonNode settledNotReady() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            assertThat(noexec.running())
                    .as("container running; log:%n%s", noexec.logTail(60))
                    .isTrue();
            SeqserveContainer.Answer readyz = noexec.call("GET", "/readyz", null);
            if (readyz.status() != 0) {
                assertThat(readyz.status()).as("never ready: %s", readyz.body()).isEqualTo(503);
                if (readyz.json().path("status").asString().equals("DOWN")
                        && !readyz.body().contains("still loading")) {
                    return readyz.json();
                }
            }
            assertThat(System.nanoTime())
                    .as("readiness settles; log:%n%s", noexec.logTail(60))
                    .isLessThan(until);
            Thread.sleep(250);
        }
    }

    @Test
    void onANoexecTmpfsTheEnginesThatLoadFromItAreDownAndTheReplicaIsNeverReady() throws Exception {
        assertThat(noexec.exec("grep", " /tmp ", "/proc/mounts")).contains("noexec");
        JsonNode readyz = settledNotReady();
        JsonNode engines = readyz.at("/components/modelRegistry/details/engines");
        assertThat(engines.path("TensorFlow").asString())
                .as("loads from /opt, still fine")
                .startsWith("up (");
        for (String engine : List.of("PyTorch", "OnnxRuntime")) {
            assertThat(engines.path(engine).asString())
                    .as(engine)
                    .startsWith("down: ")
                    .contains("/tmp/", "failed to map segment from shared object", "not executable");
        }
        assertThat(readyz.at("/components/modelRegistry/details/problems").toString())
                .contains(
                        "engine PyTorch is down",
                        "engine OnnxRuntime is down",
                        "model 'sunspots-lstm' version 1 failed to load because of the environment");

        JsonNode health = noexec.call("GET", "/actuator/health", null).json().at("/components/engines/components");
        assertThat(health.at("/TensorFlow/status").asString()).isEqualTo("UP");
        assertThat(health.at("/PyTorch/status").asString()).isEqualTo("DOWN");
        assertThat(health.at("/OnnxRuntime/details/reason").asString()).contains("failed to map segment");
        assertThat(noexec.logs())
                .contains("Engine self-check: PyTorch is down", "Engine self-check: OnnxRuntime is down");
        assertThat(noexec.inspect("{{.State.Health.Status}}"))
                .as("Docker's HEALTHCHECK asks /readyz")
                .isNotEqualTo("healthy");
        assertThat(noexec.call("GET", "/livez", null).status())
                .as("alive: a restart would not help")
                .isEqualTo(200);
    }

    @Test
    void onANoexecTmpfsRequestsForTheBrokenEnginesModelsAre503WithTheReason() throws Exception {
        settledNotReady();
        String window = Files.readString(Path.of("bench/sunspots-instance.json"));
        for (String model : List.of("sunspots-lstm", "sunspots-lstm-onnx")) {
            SeqserveContainer.Answer answer = noexec.call("POST", "/v1/models/" + model + ":predict", window);
            assertThat(answer.status()).as(model + ": " + answer.body()).isEqualTo(503);
            assertThat(answer.json().path("detail").asString())
                    .contains("because of this server's environment", "failed to map segment");
            assertThat(noexec.call("GET", "/v1/models/" + model, null)
                            .json()
                            .at("/failure/class")
                            .asString())
                    .isEqualTo("environment");
        }
        Docker.Result headers = noexec.tryExec(
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-D",
                "-",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                "{\"instances\": [1.0]}",
                "http://127.0.0.1:" + SeqserveContainer.PORT + "/v1/models/sunspots-lstm-onnx:predict");
        assertThat(headers.output()).containsIgnoringCase("Retry-After: 15");
        SeqserveContainer.Answer tensorflow =
                noexec.call("POST", "/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(tensorflow.json())
                .as(tensorflow.body())
                .isEqualTo(SeqserveContainer.JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
    }

    @Test
    void withTmpWritableAndExecutableTheSameImageIsReadyAndServesEveryEngine() throws Exception {
        exec.awaitReady(Duration.ofMinutes(3));
        assertThat(exec.exec("grep", " /tmp ", "/proc/mounts")).doesNotContain("noexec");
        assertThat(exec.exec("find", "/tmp/djl-engines", "-name", "*libdjl_torch.so"))
                .as("the JNI library landed on /tmp")
                .isNotBlank();
        assertThat(exec.exec("cat", "/proc/1/cmdline").replace('\0', ' '))
                .as("ONNX Runtime unpacks into java.io.tmpdir")
                .startsWith("java -jar")
                .doesNotContain("onnxruntime.native.path");
        JsonNode engines = exec.call("GET", "/readyz", null).json().at("/components/modelRegistry/details/engines");
        for (String engine : List.of("TensorFlow", "PyTorch", "OnnxRuntime")) {
            assertThat(engines.path(engine).asString()).as(engine).startsWith("up (");
        }
        for (JsonNode model : exec.call("GET", "/v1/models", null).json().path("models")) {
            for (JsonNode version : model.path("versions")) {
                assertThat(version.path("state").asString())
                        .as(model.path("name").asString() + ": " + version)
                        .isEqualTo("available");
            }
        }
        String window = Files.readString(Path.of("bench/sunspots-instance.json"));
        for (String model : List.of("sunspots-lstm", "sunspots-lstm-onnx")) {
            SeqserveContainer.Answer answer = exec.call("POST", "/v1/models/" + model + ":predict", window);
            assertThat(answer.status()).as(model + ": " + answer.body()).isEqualTo(200);
        }
    }
}
