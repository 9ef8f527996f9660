package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.ContainerTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * One container of the real image through its life, run as Kubernetes runs the trainer (read-only root,
 * a tmpfs on /tmp, the models folder and the data volume writable, a write token): a version copied into
 * the mounted models folder serves without a restart; a training job's result and a label survive
 * {@code docker kill} + {@code docker start} on the same volumes; then SIGTERM under load
 * ({@link ShutdownUnderLoad}) finishes every in-flight request and exits cleanly within the grace period.
 */
@ContainerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerLifecycleIT {

    static final String TOKEN = "it-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static final Duration GRACE = Duration.ofSeconds(75);
    private static ModelsFolder models;
    private static TestVolume data;
    private static SeqserveContainer container;

    @BeforeAll
    static void start() throws Exception {
        String image = SeqserveImage.get();
        models = ModelsFolder.create(Path.of("target"), DeployFiles.dockerfileUser());
        models.copyIn(Path.of("models/half_plus_two"), "half_plus_two");
        models.copyIn(Path.of("models/shakespeare-gru"), "shakespeare-gru");
        data = TestVolume.create();
        container = SeqserveContainer.of(image)
                .with("--read-only", "--tmpfs", "/tmp")
                .mount(models.root().toString(), "/models", false)
                .mount(data.name(), "/data", false)
                .env("SEQSERVE_SECURITY_TOKEN", TOKEN)
                .publish()
                .start();
        container.awaitReady(Duration.ofMinutes(3));
    }

    @AfterAll
    static void remove() {
        if (container != null) {
            container.close();
        }
        if (data != null) {
            data.close();
        }
        if (models != null) {
            models.close();
        }
    }

    @Test
    @Order(1)
    void aVersionCopiedIntoTheModelsFolderServesWithoutARestart() throws Exception {
        String startedAt = container.inspect("{{.State.StartedAt}}");
        assertThat(container.http("GET", "/v1/models/sunspots-lstm", null).status())
                .isEqualTo(404);
        // Published the documented way: copied next to its final place, then renamed in.
        Path staged = models.copyIn(Path.of("models/sunspots-lstm/1"), "sunspots-lstm/.incoming-1");
        Files.move(staged, staged.resolveSibling("1"), StandardCopyOption.ATOMIC_MOVE);

        awaitState("/v1/models/sunspots-lstm", "available", Duration.ofMinutes(1));
        String window = Files.readString(Path.of("bench/sunspots-instance.json"));
        SeqserveContainer.Answer answer = container.http("POST", "/v1/models/sunspots-lstm:predict", window);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().at("/predictions/0/0").asDouble()).isCloseTo(2.2185767, within(1e-4));
        assertThat(container.inspect("{{.State.StartedAt}} {{.RestartCount}}")).isEqualTo(startedAt + " 0");
    }

    @Test
    @Order(2)
    void aTrainingResultAndItsLabelSurviveKillAndStart() throws Exception {
        String csv = Files.readString(Path.of("src/test/resources/shared-models/datasets/nile.csv"));
        SeqserveContainer.Answer dataset = postCsv("/v1/datasets?name=nile.csv", csv);
        assertThat(dataset.status()).as(dataset.body()).isEqualTo(201);
        SeqserveContainer.Answer submitted = container.http(
                "POST",
                "/v1/training-jobs",
                """
                {"model_name": "it-nile", "task": "forecasting", "dataset": {"id": "%s", "column": "volume"}, "window": 10,
                 "architecture": {"cell": "gru", "hidden_size": 8}, "training": {"epochs": 6, "early_stopping_patience": 0, "seed": 1}}
                """.formatted(dataset.json().path("id").asString()),
                AUTH);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String job = "/v1/training-jobs/" + submitted.json().path("id").asString();
        JsonNode finished = awaitJob(job, Duration.ofMinutes(4));
        int version = finished.at("/result/version").asInt();
        assertThat(version).isPositive();
        SeqserveContainer.Answer labelled =
                container.http("PUT", "/v1/models/it-nile/labels/production", "{\"version\": " + version + "}", AUTH);
        assertThat(labelled.status()).as(labelled.body()).isBetween(200, 204);
        String forecastRequest =
                "{\"series\": [{\"id\": \"n\", \"values\": " + lastValues(csv, 20) + "}], \"horizon\": 3}";
        JsonNode before = forecast(forecastRequest);

        container.kill();
        assertThat(container.inspect("{{.State.ExitCode}}")).isEqualTo("137");
        container.restart();
        container.awaitReady(Duration.ofMinutes(3));

        JsonNode after = container.http("GET", job, null).json();
        assertThat(after.path("status").asString()).isEqualTo("succeeded");
        assertThat(after.at("/result/version").asInt()).isEqualTo(version);
        JsonNode labels = modelEntry("it-nile").path("labels");
        assertThat(labels.path("production").asInt()).as(labels.toString()).isEqualTo(version);
        awaitState("/v1/models/it-nile/labels/production", "available", Duration.ofMinutes(1));
        assertThat(forecast(forecastRequest))
                .as("the same model answers the same")
                .isEqualTo(before);
    }

    @Test
    @Order(3)
    void sigtermUnderLoadFinishesEveryInFlightRequestAndExitsWithinTheGracePeriod() throws Exception {
        ShutdownUnderLoad.Outcome outcome = new ShutdownUnderLoad(container, GRACE).run();
        System.out.println("[container tests] SIGTERM under load: " + outcome);
        assertThat(outcome.streams()).as("in-flight token streams").isPositive();
        assertThat(outcome.failures())
                .as("requests in flight at SIGTERM that failed")
                .isEmpty();
        assertThat(outcome.exitCode())
                .as("JVM exit after a graceful stop (137 = killed after the grace period)")
                .isIn(0, 143);
        assertThat(outcome.stopTook()).isLessThan(GRACE);
        assertThat(container.logs()).contains("Graceful shutdown complete");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private SeqserveContainer.Answer postCsv(String path, String csv) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(container.uri(path))
                .header("Content-Type", "text/csv")
                .header(AUTH[0], AUTH[1])
                .POST(HttpRequest.BodyPublishers.ofString(csv))
                .build();
        HttpResponse<String> response = SeqserveContainer.client().send(request, HttpResponse.BodyHandlers.ofString());
        return new SeqserveContainer.Answer(response.statusCode(), response.body());
    }

    private JsonNode forecast(String request) throws Exception {
        SeqserveContainer.Answer answer =
                container.http("POST", "/v1/models/it-nile/labels/production:forecast", request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().at("/forecasts/0/mean");
    }

    private JsonNode modelEntry(String name) throws Exception {
        for (JsonNode model : container.http("GET", "/v1/models", null).json().path("models")) {
            if (model.path("name").asString().equals(name)) {
                return model;
            }
        }
        throw new AssertionError("no model " + name + " listed");
    }

    private static String lastValues(String csv, int count) {
        List<String> values = csv.lines().skip(1).map(l -> l.split(",")[1]).toList();
        return values.subList(values.size() - count, values.size()).toString();
    }

    private JsonNode awaitJob(String path, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode job = container.http("GET", path, null).json();
            String status = job.path("status").asString();
            if (!status.equals("queued") && !status.equals("running")) {
                assertThat(status).as(job.toString()).isEqualTo("succeeded");
                return job;
            }
            assertThat(System.nanoTime()).as("job done in time: %s", job).isLessThan(until);
            Thread.sleep(250);
        }
    }

    private void awaitState(String path, String state, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            SeqserveContainer.Answer answer = container.http("GET", path, null);
            if (answer.status() == 200 && answer.json().path("state").asString().equals(state)) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("%s %s in time; last: %s", path, state, answer.body())
                    .isLessThan(until);
            Thread.sleep(200);
        }
    }
}
