package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the image from the Dockerfile (the Maven build runs inside it) and exercises it with the
 * repository's models/ mounted: probes, Docker's HEALTHCHECK, one prediction per engine (TensorFlow,
 * PyTorch, ONNX Runtime, all loading the libraries unpacked at build time as the non-root user),
 * then SIGTERM with a grace period and a clean, graceful exit. Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PORT = DeployFiles.serverPort();

    @Container
    private static final GenericContainer<?> SEQSERVE = new GenericContainer<>(
                    new ImageFromDockerfile("seqserve-test", true)
                            .withDockerfile(Path.of("Dockerfile").toAbsolutePath()))
            .withExposedPorts(PORT)
            .withFileSystemBind(Path.of("models").toAbsolutePath().toString(), "/models", BindMode.READ_ONLY)
            .waitingFor(
                    Wait.forHttp("/readyz").forPort(PORT).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(5)));

    @Test
    @Order(1)
    void answersItsProbesAndMetrics() throws Exception {
        for (String path :
                new String[] {"/livez", "/readyz", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/actuator/prometheus").body()).contains("seqserve_inflight_requests");
    }

    @Test
    @Order(2)
    void predictsWithEachEngine() throws Exception {
        HttpResponse<String> tensorflow = post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(JSON.readTree(tensorflow.body())).isEqualTo(JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
        String window = Files.readString(Path.of("bench/sunspots-instance.json"));
        for (String model : new String[] {"sunspots-lstm", "sunspots-lstm-onnx"}) {
            HttpResponse<String> response = post("/v1/models/" + model + ":predict", window);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode prediction = JSON.readTree(response.body()).at("/predictions/0/0");
            assertThat(prediction.asDouble()).as(model).isCloseTo(2.2185767, within(1e-4));
        }
    }

    @Test
    @Order(3)
    void dockerHealthcheckReportsHealthy() throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!"healthy".equals(inspect().getState().getHealth().getStatus())) {
            assertThat(System.nanoTime()).as("HEALTHCHECK healthy in time").isLessThan(until);
            Thread.sleep(1000);
        }
    }

    @Test
    @Order(4)
    void stopsGracefullyOnSigterm() {
        SEQSERVE.getDockerClient()
                .stopContainerCmd(SEQSERVE.getContainerId())
                .withTimeout(60)
                .exec();
        InspectContainerResponse.ContainerState state = inspect().getState();
        assertThat(state.getRunning()).isFalse();
        // The JVM exits 143 (128 + SIGTERM) after its shutdown hooks ran; 137 would mean Docker had to SIGKILL it.
        assertThat(state.getExitCodeLong()).isIn(0L, 143L);
        assertThat(SEQSERVE.getLogs()).contains("Graceful shutdown complete", "half_plus_two 123 unloaded");
    }

    private static InspectContainerResponse inspect() {
        return SEQSERVE.getDockerClient()
                .inspectContainerCmd(SEQSERVE.getContainerId())
                .exec();
    }

    private static URI uri(String path) {
        return URI.create("http://" + SEQSERVE.getHost() + ":" + SEQSERVE.getMappedPort(PORT) + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
