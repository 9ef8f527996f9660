package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.StatefulModels;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Forecasting sessions over HTTP with PyTorch's stateful GRU (TorchScript and ONNX) and a window LSTM: open one,
 * feed it observations, read it, fork it, end it; every forecast equals {@code :forecast} on the whole history.
 */
class ForecastSessionApiTest extends LiveTest {

    private static boolean published;

    @BeforeEach
    void models() throws Exception {
        synchronized (ForecastSessionApiTest.class) {
            if (!published) {
                published = true;
                StatefulModels.gruTorchScript(
                        "lv-gru",
                        1,
                        StatefulModels.GRU_SIGNATURE + StatefulModels.GRU_STATE + StatefulModels.GRU_FORECASTING);
                StatefulModels.gruOnnx("lv-gru-onnx", 1, StatefulModels.GRU_STATE + StatefulModels.GRU_FORECASTING);
                StatefulModels.publish("lv-window", 1, dir -> {
                    java.nio.file.Files.copy(
                            io.seqserve.testing.TestModelRoot.SHARED.resolve(
                                    "pytorch/sunspots_lstm_w24/sunspots_lstm_w24.pt"),
                            dir.resolve("model.pt"));
                    java.nio.file.Files.writeString(
                            dir.resolve("seqserve.yaml"),
                            "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: [-1, 24, 1]}\n"
                                    + StatefulModels.GRU_FORECASTING);
                });
            }
        }
        for (String name : List.of("lv-gru", "lv-gru-onnx", "lv-window")) {
            awaitState(name, 1, "available");
        }
    }

    /**
     * Values fed one call at a time give, after every call, the forecast {@code :forecast} gives for the whole
     * history so far: for the stateful exports (one step per observation) and for the window model.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lv-gru", "lv-gru-onnx", "lv-window"})
    void observationsOneByOneForecastLikeTheWholeHistory(String model) throws Exception {
        double[] series = sunspots();
        JsonNode session = open(model, body("history", Arrays.copyOfRange(series, 0, 100), "horizon", 3));
        String id = session.get("id").asString();
        assertThat(session.get("version").asLong()).isEqualTo(1);
        assertThat(session.get("observations").asLong()).isEqualTo(100);
        assertThat(session.get("stateful").asBoolean()).isEqualTo(!model.equals("lv-window"));
        assertClose(doubles(session.at("/forecast/mean")), forecast(model, Arrays.copyOfRange(series, 0, 100), 3));
        for (int t = 100; t < 130; t++) {
            JsonNode answer = observed(id, List.of(series[t]));
            assertThat(answer.get("observations").asLong()).isEqualTo(t + 1);
            assertClose(doubles(answer.at("/forecast/mean")), forecast(model, Arrays.copyOfRange(series, 0, t + 1), 3));
        }
        JsonNode several = observed(id, List.of(series[130], series[131], series[132]));
        assertClose(doubles(several.at("/forecast/mean")), forecast(model, Arrays.copyOfRange(series, 0, 133), 3));
        JsonNode read = json(get("/v1/sessions/" + id));
        assertThat(read.at("/forecast/mean")).isEqualTo(several.at("/forecast/mean"));
    }

    /**
     * Many sessions of one version observing at once share forward passes (their states stacked on axis 1) and
     * each still gets the forecast of its own history: rounds of 48 concurrent observations, each session on its
     * own stretch of the series, until passes have carried more than one step (the first round nearly always).
     */
    @ParameterizedTest
    @ValueSource(strings = {"lv-gru", "lv-gru-onnx"})
    void concurrentSessionsShareForwardPassesAndEachGetsItsOwnForecast(String model) throws Exception {
        double[] series = sunspots();
        int sessions = 48;
        List<String> ids = new java.util.ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            ids.add(open(model, body("history", Arrays.copyOfRange(series, s, s + 30)))
                    .get("id")
                    .asString());
        }
        double rows0 = metric("seqserve_session_step_rows_sum", "");
        double passes0 = metric("seqserve_session_step_rows_count", "");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(sessions);
        try {
            for (int round = 0; round < 10; round++) {
                int r = round;
                List<java.util.concurrent.Future<JsonNode>> answers = new java.util.ArrayList<>();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                for (int s = 0; s < sessions; s++) {
                    String id = ids.get(s);
                    double value = series[s + 30 + r];
                    answers.add(pool.submit(() -> {
                        start.await();
                        return observed(id, List.of(value));
                    }));
                }
                start.countDown();
                for (int s = 0; s < sessions; s++) {
                    JsonNode answer = answers.get(s).get();
                    assertClose(
                            doubles(answer.at("/forecast/mean")),
                            forecast(model, Arrays.copyOfRange(series, s, s + 31 + r), 1));
                }
                double rows = metric("seqserve_session_step_rows_sum", "") - rows0;
                double passes = metric("seqserve_session_step_rows_count", "") - passes0;
                if (passes < rows) {
                    return;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        org.assertj.core.api.Assertions.fail("480 concurrent observations never shared a forward pass");
    }

    @Test
    void aSessionWithoutHistoryForecastsOnceItHasSeenTheWindow() throws Exception {
        JsonNode session = open("lv-gru", body());
        String id = session.get("id").asString();
        assertThat(session.get("forecast").isNull()).isTrue();
        assertThat(session.get("warnings").toString()).contains("needs 24 observations");
        double[] series = sunspots();
        JsonNode answer = null;
        for (int t = 0; t < 24; t++) {
            answer = observed(id, List.of(series[t]));
        }
        assertClose(doubles(answer.at("/forecast/mean")), forecast("lv-gru", Arrays.copyOfRange(series, 0, 24), 1));
    }

    @Test
    void aForkContinuesFromTheSameStateAndTheTwoGoTheirOwnWays() throws Exception {
        double[] series = sunspots();
        String id = open("lv-gru", body("history", Arrays.copyOfRange(series, 0, 60)))
                .get("id")
                .asString();
        HttpResponse<String> forked = post("/v1/sessions/" + id + ":fork", "");
        assertThat(forked.statusCode()).as(forked.body()).isEqualTo(201);
        String copy = json(forked).get("id").asString();
        assertThat(copy).isNotEqualTo(id);
        assertThat(json(forked).at("/forecast/mean"))
                .isEqualTo(json(get("/v1/sessions/" + id)).at("/forecast/mean"));
        JsonNode a = observed(id, List.of(10.0));
        JsonNode b = observed(copy, List.of(150.0));
        double[] history = Arrays.copyOf(Arrays.copyOfRange(series, 0, 60), 61);
        history[60] = 10.0;
        assertClose(doubles(a.at("/forecast/mean")), forecast("lv-gru", history, 1));
        history[60] = 150.0;
        assertClose(doubles(b.at("/forecast/mean")), forecast("lv-gru", history, 1));
    }

    @Test
    void deletedSessionsAnswerGoneAndUnknownOnesNotFound() throws Exception {
        String id = open("lv-gru", body("history", Arrays.copyOfRange(sunspots(), 0, 30)))
                .get("id")
                .asString();
        HttpResponse<String> deleted = send("DELETE", "/v1/sessions/" + id, null, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertProblem(get("/v1/sessions/" + id), 410, "gone", null);
        assertProblem(observe(id, List.of(1.0)), 410, "gone", null);
        assertProblem(get("/v1/sessions/ls_00000000000000000000000000000000"), 404, "not-found", null);
        assertProblem(observe("nope", List.of(1.0)), 404, "not-found", null);
    }

    @Test
    void badObservationsAreProblemsAndChangeNothing() throws Exception {
        String id = open("lv-gru", body("history", Arrays.copyOfRange(sunspots(), 0, 30)))
                .get("id")
                .asString();
        JsonNode before = json(get("/v1/sessions/" + id));
        assertProblem(observe(id, List.of("7")), 400, "invalid", "observations[0]");
        assertProblem(observe(id, List.of(List.of(1.0, 2.0))), 422, "unprocessable", "observations[0]");
        assertProblem(observe(id, List.of()), 400, "invalid", "observations");
        assertProblem(observe(id, Arrays.asList(1.0, null)), 400, "invalid", "observations[1]");
        assertProblem(post("/v1/sessions/" + id + ":observe", "{\"observations\": [1.0, NaN]}"), 400, "invalid", null);
        assertProblem(
                post("/v1/sessions/" + id + ":observe", "{\"observations\": [1e999]}"),
                400,
                "invalid",
                "observations[0]");
        assertProblem(post("/v1/sessions/" + id + ":observe", "{\"values\": [1.0]}"), 400);
        JsonNode after = json(get("/v1/sessions/" + id));
        assertThat(after.get("observations")).isEqualTo(before.get("observations"));
        assertThat(after.get("forecast")).isEqualTo(before.get("forecast"));
        assertProblem(
                post("/v1/models/lv-gru/sessions", JSON.writeValueAsString(body("text", "hi"))),
                400,
                "invalid",
                "text");
        assertProblem(
                post("/v1/models/lv-gru/sessions", JSON.writeValueAsString(body("horizon", 0))),
                400,
                "invalid",
                "horizon");
        assertProblem(
                post("/v1/models/lv-gru/sessions", JSON.writeValueAsString(body("ttl_seconds", 999999999))),
                400,
                "invalid",
                "ttl_seconds");
        assertProblem(post("/v1/models/no-such-model/sessions", "{}"), 404, "not-found", null);
        assertProblem(post("/v1/models/half_plus_two/sessions", "{}"), 422, "unprocessable", null);
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("step %d", i).isCloseTo(expected[i], within(1e-3 + 1e-5 * Math.abs(expected[i])));
        }
    }
}
