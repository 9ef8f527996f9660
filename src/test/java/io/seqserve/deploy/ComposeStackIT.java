package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ContainerTest;
import io.seqserve.testing.RequiresTool;
import io.seqserve.testing.Tool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The repository's docker-compose.yml brought up for real: the seqserve and prometheus services (Grafana's
 * image cannot be obtained on the build machines, so the grafana service is left out and its dashboard
 * is checked against the app instead). Prometheus must report the seqserve target up and answer a query
 * on a {@code seqserve_} metric; after a prediction, a generation and a small training job, every metric
 * the provisioned dashboard queries must be exported by the app and stored by Prometheus. The only
 * changes to the file are made the way a user would: ports, image and token from the environment, and
 * an override file that mounts a writable models folder for the training job.
 */
@ContainerTest
@RequiresTool(Tool.COMPOSE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {

    private static final String TOKEN = "it-token";
    private static final String PROJECT =
            "seqserve-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Path OVERRIDE = Path.of("target/compose-it.override.yml");
    private static ModelsFolder models;
    private static Map<String, String> env;
    private static int seqservePort;
    private static int prometheusPort;

    @BeforeAll
    static void up() throws Exception {
        String image = SeqserveImage.get();
        Docker.ensureImage(DeployFiles.yaml(Path.of("docker-compose.yml"))
                .at("/services/prometheus/image")
                .asString());
        models = ModelsFolder.create(Path.of("target"), DeployFiles.dockerfileUser());
        models.copyIn(Path.of("models/half_plus_two"), "half_plus_two");
        models.copyIn(Path.of("models/shakespeare-gru"), "shakespeare-gru");
        Files.writeString(OVERRIDE, """
                services:
                  seqserve:
                    volumes:
                      - %s:/models
                """.formatted(models.root()));
        seqservePort = freePort();
        prometheusPort = freePort();
        env = Map.of(
                "SEQSERVE_IMAGE",
                image,
                "SEQSERVE_PORT",
                String.valueOf(seqservePort),
                "PROMETHEUS_PORT",
                String.valueOf(prometheusPort),
                "SEQSERVE_SECURITY_TOKEN",
                TOKEN);
        Docker.Result up = compose(Duration.ofMinutes(5), "up", "-d", "--no-build", "seqserve", "prometheus");
        assertThat(up.ok()).as("compose up: %s", up.output()).isTrue();
        await("seqserve ready", Duration.ofMinutes(3), () -> status(seqserve("/readyz")) == 200);
        await("prometheus ready", Duration.ofMinutes(1), () -> status(prometheus("/-/ready")) == 200);
    }

    @AfterAll
    static void down() {
        if (env != null) {
            Docker.Result logs = compose(Duration.ofMinutes(1), "logs", "--tail", "30");
            System.out.println("[compose test] last log lines:\n" + logs.output());
            compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
        }
        if (models != null) {
            models.close();
        }
    }

    @Test
    @Order(1)
    void prometheusScrapesTheSeqserveTargetAndAnswersAQuery() throws Exception {
        JsonNode predicted = post(seqserve("/v1/models/half_plus_two:predict"), "{\"instances\": [1.0, 2.0]}", null);
        assertThat(predicted.path("predictions").toString()).isEqualTo("[2.5,3.0]");
        await("target seqserve up", Duration.ofMinutes(1), () -> {
            for (JsonNode target : api("/api/v1/targets").at("/data/activeTargets")) {
                if (target.at("/labels/job").asString().equals("seqserve")
                        && target.path("health").asString().equals("up")) {
                    return true;
                }
            }
            return false;
        });
        JsonNode result = awaitQuery(
                "seqserve_requests_total{model=\"half_plus_two\",outcome=\"success\"}",
                r -> r.size() == 1 && r.at("/0/value/1").asDouble() >= 1);
        assertThat(result.at("/0/metric/job").asString()).isEqualTo("seqserve");
    }

    @Test
    @Order(2)
    void everyMetricTheDashboardQueriesIsExportedAndStored() throws Exception {
        JsonNode generated = post(
                seqserve("/v1/models/shakespeare-gru:generate"), "{\"prompt\": \"ROMEO:\", \"max_tokens\": 5}", null);
        assertThat(generated.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        String csv = Files.readString(Path.of("src/test/resources/shared-models/datasets/nile.csv"));
        HttpResponse<String> dataset = SeqserveContainer.client()
                .send(
                        HttpRequest.newBuilder(seqserve("/v1/datasets?name=nile.csv"))
                                .header("Content-Type", "text/csv")
                                .header("Authorization", "Bearer " + TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString(csv))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(dataset.statusCode()).as(dataset.body()).isEqualTo(201);
        JsonNode job = post(
                seqserve("/v1/training-jobs"),
                """
                {"model_name": "compose-nile", "dataset": {"id": "%s", "column": "volume"}, "window": 10,
                 "architecture": {"cell": "gru", "hidden_size": 8}, "training": {"epochs": 3, "early_stopping_patience": 0}}
                """.formatted(SeqserveContainer.JSON
                        .readTree(dataset.body())
                        .path("id")
                        .asString()),
                TOKEN);
        URI jobUri = seqserve("/v1/training-jobs/" + job.path("id").asString());
        await(
                "training job done",
                Duration.ofMinutes(3),
                () -> Set.of("succeeded", "failed", "cancelled").contains(status(get(jobUri))));
        assertThat(get(jobUri).path("status").asString()).isEqualTo("succeeded");
        // The dashboard's accuracy row: a forecast of the trained model (its residuals give intervals), then
        // what happened, scored by forecast_id.
        List<String> volumes = csv.lines().skip(1).map(l -> l.split(",")[1]).toList();
        JsonNode forecast = post(
                seqserve("/v1/models/compose-nile:forecast"),
                "{\"series\": [{\"id\": \"nile\", \"values\": ["
                        + String.join(", ", volumes.subList(volumes.size() - 20, volumes.size()))
                        + "]}], \"horizon\": 2}",
                null);
        JsonNode scored = post(
                seqserve("/v1/models/compose-nile:actuals"),
                "{\"actuals\": [{\"forecast_id\": \""
                        + forecast.path("forecast_id").asString() + "\", \"values\": [900, 950]}]}",
                TOKEN);
        assertThat(scored.path("scored").asInt()).as(scored.toString()).isPositive();

        Set<String> queried = new TreeSet<>();
        DeployFiles.yaml(Path.of("deploy/grafana/dashboards/seqserve.json"))
                .findValues("expr")
                .forEach(e -> queried.addAll(DeployFiles.metricsIn(e.asString())));
        assertThat(queried).isNotEmpty();
        String exposition = SeqserveContainer.client()
                .send(
                        HttpRequest.newBuilder(seqserve("/actuator/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(DeployFiles.exportedMetrics(exposition))
                .as("exported by the app")
                .containsAll(queried);
        List<String> notStored = new ArrayList<>(queried);
        await("every dashboard metric stored by Prometheus; not yet: " + notStored, Duration.ofMinutes(1), () -> {
            for (String name : List.copyOf(notStored)) {
                if (api("/api/v1/query?query=" + encode("count(" + name + ")"))
                                .at("/data/result")
                                .size()
                        == 1) {
                    notStored.remove(name);
                }
            }
            return notStored.isEmpty();
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------

    interface Check {
        boolean done() throws Exception;
    }

    private static Docker.Result compose(Duration limit, String... args) {
        List<String> command = new ArrayList<>(
                Tool.answers("docker", "compose", "version")
                        ? List.of("docker", "compose")
                        : List.of("docker-compose"));
        command.addAll(List.of("-p", PROJECT, "-f", "docker-compose.yml", "-f", OVERRIDE.toString()));
        command.addAll(List.of(args));
        return Docker.exec(limit, command, env, null, null);
    }

    private static void await(String what, Duration limit, Check check) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (!check.done()) {
            assertThat(System.nanoTime()).as("%s within %s", what, limit).isLessThan(until);
            Thread.sleep(500);
        }
    }

    private static JsonNode awaitQuery(String query, Predicate<JsonNode> done) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await(query + " answered", Duration.ofMinutes(1), () -> {
            last[0] = api("/api/v1/query?query=" + encode(query)).at("/data/result");
            return done.test(last[0]);
        });
        return last[0];
    }

    private static URI seqserve(String path) {
        return URI.create("http://127.0.0.1:" + seqservePort + path);
    }

    private static URI prometheus(String path) {
        return URI.create("http://127.0.0.1:" + prometheusPort + path);
    }

    private static JsonNode api(String pathAndQuery) throws Exception {
        return get(prometheus(pathAndQuery));
    }

    private static JsonNode get(URI uri) throws Exception {
        return SeqserveContainer.JSON.readTree(SeqserveContainer.client()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private static String status(JsonNode job) {
        return job.path("status").asString();
    }

    private static int status(URI uri) {
        try {
            return SeqserveContainer.client()
                    .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static JsonNode post(URI uri, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response =
                SeqserveContainer.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", uri, response.body()).isBetween(200, 202);
        return SeqserveContainer.JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
