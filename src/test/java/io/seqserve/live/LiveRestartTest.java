package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.SeqServeApplication;
import io.seqserve.registry.AtomicFiles;
import io.seqserve.testing.HttpTest;
import io.seqserve.testing.StatefulModels;
import io.seqserve.testing.TestModelRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A restart resumes every session exactly. Whole servers (the application as it ships, on its own models root and
 * data directory) are stopped and started again: after a graceful stop the next observation's forecast and the
 * next greedy continuation are bit for bit those the same calls gave before, on a fork taken just before the stop;
 * after a crash (the data directory as a killed process leaves it) a session resumes from its last snapshot.
 */
@HttpTest
class LiveRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    /** One running server. */
    private record Server(ConfigurableApplicationContext context, int port) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }

        JsonNode call(String method, String path, Object body, int status) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        }
    }

    private Server start(Path models, Path data) throws Exception {
        // Command-line arguments: application.yaml's own values would win over default properties.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SeqServeApplication.class)
                .run(
                        "--server.port=0",
                        "--seqserve.models.root=" + models,
                        "--seqserve.data.dir=" + data,
                        "--seqserve.models.poll-interval=300ms",
                        "--seqserve.sessions.snapshot-interval=200ms",
                        "--spring.jmx.enabled=false");
        Server server =
                new Server(context, Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/readyz"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return server;
            }
            assertThat(System.nanoTime()).as("ready in time").isLessThan(until);
            Thread.sleep(100);
        }
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    @Test
    void aRestartResumesEverySessionExactly() throws Exception {
        Path models = Files.createDirectories(temp.resolve("models"));
        StatefulModels.gruTorchScript(
                models,
                "gru",
                1,
                StatefulModels.GRU_SIGNATURE + StatefulModels.GRU_STATE + StatefulModels.GRU_FORECASTING);
        StatefulModels.charGru(models, "chars", 1, false);
        StatefulModels.publish(models, "window", 1, dir -> {
            Files.copy(
                    TestModelRoot.SHARED.resolve("pytorch/sunspots_lstm_w24/sunspots_lstm_w24.pt"),
                    dir.resolve("model.pt"));
            Files.writeString(
                    dir.resolve("seqserve.yaml"),
                    "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: [-1, 24, 1]}\n"
                            + StatefulModels.GRU_FORECASTING);
        });
        Path data = temp.resolve("data");
        double[] series = StatefulModels.sunspots();
        Map<String, Object> greedy = body("prompt", "", "max_tokens", 25, "temperature", 0);

        String gru;
        String window;
        String chars;
        JsonNode gruBefore;
        JsonNode windowBefore;
        JsonNode expectedGru;
        JsonNode expectedWindow;
        String expectedText;
        try (Server a = start(models, data)) {
            gru = a.call(
                            "POST",
                            "/v1/models/gru/sessions",
                            body("history", Arrays.copyOf(series, 100), "horizon", 4),
                            201)
                    .get("id")
                    .asString();
            window = a.call("POST", "/v1/models/window/sessions", body("history", Arrays.copyOf(series, 50)), 201)
                    .get("id")
                    .asString();
            chars = a.call("POST", "/v1/models/chars/sessions", body("text", "The "), 201)
                    .get("id")
                    .asString();
            a.call(
                    "POST",
                    "/v1/sessions/" + gru + ":observe",
                    body("observations", List.of(series[100], series[101])),
                    200);
            greedy.put("session", chars);
            a.call("POST", "/v1/models/chars:generate", greedy, 200);
            gruBefore = a.call("GET", "/v1/sessions/" + gru, null, 200);
            windowBefore = a.call("GET", "/v1/sessions/" + window, null, 200);
            // What the next calls answer without a restart, on forks taken now.
            String gruFork = a.call("POST", "/v1/sessions/" + gru + ":fork", null, 201)
                    .get("id")
                    .asString();
            expectedGru = a.call(
                    "POST", "/v1/sessions/" + gruFork + ":observe", body("observations", List.of(series[102])), 200);
            String windowFork = a.call("POST", "/v1/sessions/" + window + ":fork", null, 201)
                    .get("id")
                    .asString();
            expectedWindow = a.call(
                    "POST", "/v1/sessions/" + windowFork + ":observe", body("observations", List.of(series[50])), 200);
            String charFork = a.call("POST", "/v1/sessions/" + chars + ":fork", null, 201)
                    .get("id")
                    .asString();
            greedy.put("session", charFork);
            expectedText = a.call("POST", "/v1/models/chars:generate", greedy, 200)
                    .get("text")
                    .asString();
            a.call("DELETE", "/v1/sessions/" + charFork, null, 204);
        }

        Path crashed = temp.resolve("crashed");
        try (Server b = start(models, data)) {
            JsonNode gruAfter = b.call("GET", "/v1/sessions/" + gru, null, 200);
            assertThat(gruAfter.get("observations")).isEqualTo(gruBefore.get("observations"));
            assertThat(gruAfter.get("forecast")).isEqualTo(gruBefore.get("forecast"));
            assertThat(gruBefore.path("forecast_id").asString()).startsWith("f_");
            assertThat(gruAfter.get("forecast_id"))
                    .as("the snapshot keeps the logged forecast's id")
                    .isEqualTo(gruBefore.get("forecast_id"));
            assertThat(gruAfter.get("version")).isEqualTo(gruBefore.get("version"));
            assertThat(b.call("GET", "/v1/sessions/" + window, null, 200).get("forecast"))
                    .isEqualTo(windowBefore.get("forecast"));
            JsonNode nextGru =
                    b.call("POST", "/v1/sessions/" + gru + ":observe", body("observations", List.of(series[102])), 200);
            assertThat(nextGru.get("forecast"))
                    .as("the same bits as without the restart")
                    .isEqualTo(expectedGru.get("forecast"));
            JsonNode nextWindow = b.call(
                    "POST", "/v1/sessions/" + window + ":observe", body("observations", List.of(series[50])), 200);
            assertThat(nextWindow.get("forecast")).isEqualTo(expectedWindow.get("forecast"));
            greedy.put("session", chars);
            assertThat(b.call("POST", "/v1/models/chars:generate", greedy, 200)
                            .get("text")
                            .asString())
                    .isEqualTo(expectedText);
            b.call("GET", "/v1/sessions/" + expectedGru.get("id").asString(), null, 200);

            // A crash: the data directory as a killed process leaves it, once a snapshot round has passed.
            b.call("POST", "/v1/sessions/" + gru + ":observe", body("observations", List.of(series[103])), 200);
            Thread.sleep(1500);
            AtomicFiles.deleteTree(crashed);
            TestModelRoot.copy(data, crashed);
            assertThat(b.call("GET", "/v1/sessions/" + gru, null, 200)
                            .get("observations")
                            .asLong())
                    .isEqualTo(104);
        }
        try (Server c = start(models, crashed)) {
            JsonNode resumed = c.call("GET", "/v1/sessions/" + gru, null, 200);
            assertThat(resumed.get("observations").asLong()).isEqualTo(104);
            JsonNode whole = c.call(
                    "POST",
                    "/v1/models/gru:forecast",
                    body("series", List.of(body("id", "s", "values", Arrays.copyOf(series, 104))), "horizon", 4),
                    200);
            double[] mean = doubles(resumed.at("/forecast/mean"));
            double[] expected = doubles(whole.at("/forecasts/0/mean"));
            for (int i = 0; i < mean.length; i++) {
                assertThat(mean[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-3));
            }
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
