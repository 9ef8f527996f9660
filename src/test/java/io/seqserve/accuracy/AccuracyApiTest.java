package io.seqserve.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.OwnServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Forecasts remembered and scored over real HTTP, with a known-answer model (the next step is the last value,
 * intervals +- 1.7 at 80 % and +- 2.0 at 95 %): every forecast answers a forecast_id; actuals by forecast id, by
 * series and step are matched and scored to the exact MAE, RMSE, MASE and coverage; duplicate, late and
 * unmatched actuals are counted, never an error; the scores appear in the metrics with low-cardinality tags.
 */
@TestPropertySource(
        properties = {
            "seqserve.accuracy.max-lateness=6s",
            "seqserve.accuracy.bucket=1s",
            "seqserve.accuracy.max-actuals-per-request=1000"
        })
class AccuracyApiTest extends OwnServerTest {

    private static final String MODEL = "acc-naive";
    /** Scored by one test only, so its window holds exactly that test's points whatever the order. */
    private static final String EXACT = "acc-exact";
    /** A model with a daily frequency: its forecasts made with a start are matched by timestamp. */
    private static final String DATED = "acc-dated";

    private static boolean published;

    @BeforeEach
    void model() throws Exception {
        if (!published) {
            published = true;
            AccuracyModels.linear(modelsRoot(), MODEL, 1, 1.0f);
            AccuracyModels.linear(modelsRoot(), EXACT, 1, 1.0f);
            AccuracyModels.linear(modelsRoot(), DATED, 1, 1.0f, true);
        }
        awaitAvailable(MODEL);
        awaitAvailable(EXACT);
        awaitAvailable(DATED);
    }

    @Test
    void aForecastIsScoredAgainstItsActualsToTheExactNumbers() throws Exception {
        JsonNode forecast = forecast(EXACT, "{\"series\": [{\"id\": \"exact\", \"values\": [4, 10]}], \"horizon\": 2}");
        String id = forecast.path("forecast_id").asString();
        assertThat(id).startsWith("f_");
        assertThat(forecast.at("/forecasts/0/mean/0").asDouble()).isEqualTo(10.0, within(1e-5));

        // Step 1: 11 (error 1, inside +-1.7 and +-2.0); step 2: 13 (error 3, outside both). The naive forecast is
        // the model's here (the last value, 10), so MASE is 1.
        JsonNode result = actuals(EXACT, "{\"actuals\": [{\"forecast_id\": \"" + id + "\", \"values\": [11, 13]}]}");
        assertThat(result.path("matched").asLong()).isEqualTo(2);
        assertThat(result.path("scored").asLong()).isEqualTo(2);

        JsonNode target = version(accuracy(EXACT, "?window=1h"), 1).at("/targets/0");
        assertThat(target.path("target").asString()).isEqualTo("value");
        JsonNode window = target.path("window");
        assertThat(window.path("points").asLong()).isEqualTo(2);
        assertThat(window.path("mae").asDouble()).isEqualTo(2.0, within(1e-5));
        assertThat(window.path("rmse").asDouble()).isEqualTo(Math.sqrt(5), within(1e-5));
        assertThat(window.path("mase").asDouble()).isEqualTo(1.0, within(1e-9));
        assertThat(window.at("/coverage/80").asDouble()).isEqualTo(0.5);
        assertThat(window.at("/coverage/95").asDouble()).isEqualTo(0.5);
        assertThat(target.at("/steps/0/step").asString()).isEqualTo("1");
        assertThat(target.at("/steps/0/mae").asDouble()).isEqualTo(1.0, within(1e-5));
        assertThat(target.at("/steps/1/mae").asDouble()).isEqualTo(3.0, within(1e-5));
        assertThat(target.path("over_time").size()).isGreaterThanOrEqualTo(1);

        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains("seqserve_forecast_scored_points_total{application=\"seqserve\",model=\"" + EXACT
                        + "\",step=\"2\",target=\"value\",version=\"1\"}")
                .contains("seqserve_forecast_interval_nominal_ratio{application=\"seqserve\",level=\"80\"} 0.8")
                .doesNotContain("series=\"exact\"")
                .doesNotContain("\"exact\"");
    }

    @Test
    void actualsBySeriesAndStepMatchEveryForecastThatCoversThem() throws Exception {
        // Two forecasts of one series from different origins: [1, 2] -> steps 2 and 3; [1, 2, 3] -> 3 and 4.
        forecast("{\"series\": [{\"id\": \"rolling\", \"values\": [1, 2]}], \"horizon\": 2}");
        forecast("{\"series\": [{\"id\": \"rolling\", \"values\": [1, 2, 3]}], \"horizon\": 2}");
        JsonNode result = actuals("{\"actuals\": [{\"id\": \"rolling\", \"step\": 2, \"values\": [3, 4, 5]}]}");
        assertThat(result.path("matched").asLong()).isEqualTo(3);
        assertThat(result.path("scored").asLong())
                .as("step 3 is covered by both forecasts")
                .isEqualTo(4);
    }

    @Test
    void actualsByTimestampMatchForecastsMadeWithAStart() throws Exception {
        // Values on March 1st and 2nd: the forecast starts on the 3rd.
        forecast(
                DATED,
                "{\"series\": [{\"id\": \"dated\", \"start\": \"2024-03-01\", \"values\": [4, 10]}],"
                        + " \"horizon\": 2}");
        JsonNode result = actuals(
                DATED, "{\"actuals\": [{\"id\": \"dated\", \"timestamp\": \"2024-03-02\", \"values\": [10, 11, 13]}]}");
        assertThat(result.path("unmatched").asLong())
                .as("March 2nd was not forecast")
                .isEqualTo(1);
        assertThat(result.path("matched").asLong()).isEqualTo(2);
        JsonNode window = version(accuracy(DATED, ""), 1).at("/targets/0/window");
        assertThat(window.path("points").asLong()).isEqualTo(2);
        assertThat(window.path("mae").asDouble()).isEqualTo(2.0, within(1e-5));
    }

    @Test
    void duplicateLateAndUnmatchedActualsAreCountedNotRefused() throws Exception {
        String id = forecast("{\"series\": [{\"id\": \"d\", \"values\": [1, 2]}], \"horizon\": 3}")
                .path("forecast_id")
                .asString();
        String body = "{\"actuals\": [{\"forecast_id\": \"" + id + "\", \"id\": \"d\", \"values\": [2, 2]}]}";
        assertThat(actuals(body).path("matched").asLong()).isEqualTo(2);
        JsonNode again = actuals(body);
        assertThat(again.path("duplicate").asLong()).isEqualTo(2);
        assertThat(again.path("scored").asLong()).isZero();

        JsonNode unmatched = actuals("{\"actuals\": [{\"id\": \"nobody\", \"step\": 5, \"values\": [1]},"
                + "{\"forecast_id\": \"f_unknown\", \"values\": [1, 2]},"
                + "{\"forecast_id\": \"" + id + "\", \"values\": [null, null, null, 9]}]}");
        assertThat(unmatched.path("unmatched").asLong()).isEqualTo(4);

        Thread.sleep(6_500); // past max-lateness (6 s: a slow machine still answers the calls before it in time)
        JsonNode late = actuals("{\"actuals\": [{\"forecast_id\": \"" + id + "\", \"values\": [null, null, 7]}]}");
        assertThat(late.path("late").asLong()).isEqualTo(1);
        assertThat(late.path("scored").asLong()).isZero();

        JsonNode counts = accuracy("").path("actuals");
        assertThat(counts.path("duplicate").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(counts.path("late").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("unmatched").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(get("/actuator/prometheus").body())
                .contains("seqserve_forecast_actuals_total{application=\"seqserve\",model=\"" + MODEL
                        + "\",outcome=\"late\"}");
    }

    @Test
    void malformedActualsAreProblemsNamingTheField() throws Exception {
        assertProblem(post("/v1/models/" + MODEL + ":actuals", "{\"actuals\": [}"), 400, "invalid", null);
        assertProblem(post("/v1/models/" + MODEL + ":actuals", "{\"actuals\": []}"), 400, "invalid", "actuals");
        assertProblem(
                post("/v1/models/" + MODEL + ":actuals", "{\"actuals\": [{\"id\": \"a\", \"values\": [1]}]}"),
                400,
                "invalid",
                "actuals[0]");
        assertProblem(
                post(
                        "/v1/models/" + MODEL + ":actuals",
                        "{\"actuals\": [{\"id\": \"a\", \"step\": 1, \"forecast_id\": \"f\", \"values\": [1]}]}"),
                400,
                "invalid",
                "actuals[0]");
        assertProblem(
                post(
                        "/v1/models/" + MODEL + ":actuals",
                        "{\"actuals\": [{\"id\": \"a\", \"step\": 1.5, \"values\": [1]}]}"),
                400,
                "invalid",
                "actuals[0].step");
        assertProblem(
                post(
                        "/v1/models/" + MODEL + ":actuals",
                        "{\"actuals\": [{\"id\": \"a\", \"timestamp\": \"soon\", \"values\": [1]}]}"),
                400,
                "invalid",
                "actuals[0].timestamp");
        assertProblem(
                post(
                        "/v1/models/" + MODEL + ":actuals",
                        "{\"actuals\": [{\"id\": \"a\", \"step\": 1, \"values\": [\"x\"]}]}"),
                400,
                "invalid",
                "actuals[0].values[0]");
        assertProblem(
                post(
                        "/v1/models/" + MODEL + ":actuals",
                        "{\"actuals\": [{\"id\": \"a\", \"step\": 1, \"values\": [1], \"extra\": 1}]}"),
                400,
                "invalid",
                "actuals[0].extra");
        StringBuilder many = new StringBuilder("[0");
        many.append(",1".repeat(1000)).append(']');
        assertProblem(
                post(
                        "/v1/models/" + MODEL + ":actuals",
                        "{\"actuals\": [{\"id\": \"a\", \"step\": 1, \"values\": " + many + "}]}"),
                413,
                "too-large",
                null);
        assertProblem(post("/v1/models/acc-nobody:actuals", "{\"actuals\": []}"), 404, "not-found", null);
        assertProblem(get("/v1/models/" + MODEL + "/accuracy?window=forever"), 400, "invalid", "window");
    }

    private void awaitAvailable(String name) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!get("/v1/models/" + name).body().contains("\"state\":\"available\"")) {
            assertThat(System.nanoTime()).as(name + " available in time").isLessThan(until);
            Thread.sleep(200);
        }
    }

    private JsonNode forecast(String body) throws Exception {
        return forecast(MODEL, body);
    }

    private JsonNode forecast(String model, String body) throws Exception {
        HttpResponse<String> response = post("/v1/models/" + model + ":forecast", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private JsonNode actuals(String body) throws Exception {
        return actuals(MODEL, body);
    }

    private JsonNode actuals(String model, String body) throws Exception {
        HttpResponse<String> response = post("/v1/models/" + model + ":actuals", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private JsonNode accuracy(String query) throws Exception {
        return accuracy(MODEL, query);
    }

    private JsonNode accuracy(String model, String query) throws Exception {
        HttpResponse<String> response = get("/v1/models/" + model + "/accuracy" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static JsonNode version(JsonNode report, long version) {
        for (JsonNode v : report.path("versions")) {
            if (v.path("version").asLong() == version) {
                return v;
            }
        }
        throw new AssertionError("no version " + version + " in " + report);
    }
}
