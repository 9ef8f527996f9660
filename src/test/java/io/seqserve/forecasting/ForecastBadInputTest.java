package io.seqserve.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every bad forecasting request gets a 4xx problem naming what is wrong, and changes nothing. */
class ForecastBadInputTest extends ForecastingTest {

    /** W24 in a body below is a valid window of 24 values, N24 24 nulls, G24 23 values and a null. */
    private static final String WINDOW_24 = "[" + "1,".repeat(23) + "1]";

    /** what | body | status | kind | field in errors ({@code -}: none). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "body not an object|[]|400|invalid|body",
                "no series|{\"horizon\": 1}|400|invalid|series",
                "empty series list|{\"series\": [], \"horizon\": 1}|400|invalid|series",
                "series not an object|{\"series\": [1, 2], \"horizon\": 1}|400|invalid|series[0]",
                "no values|{\"series\": [{\"id\": \"a\"}], \"horizon\": 1}|400|invalid|series[0].values",
                "empty values|{\"series\": [{\"values\": []}], \"horizon\": 1}|400|invalid|series[0].values",
                "string value|{\"series\": [{\"values\": [\"1\", 1, 1]}], \"horizon\": 1}|400|invalid|series[0].values[0]",
                "boolean value|{\"series\": [{\"values\": [1, true]}], \"horizon\": 1}|400|invalid|series[0].values[1]",
                "number too large for a double|{\"series\": [{\"values\": [1e999]}], \"horizon\": 1}|400|invalid|series[0].values[0]",
                "NaN is not JSON|{\"series\": [{\"values\": [NaN]}], \"horizon\": 1}|400|invalid|-",
                "ragged rows|{\"series\": [{\"values\": [[1, 2], [3]]}], \"horizon\": 1}|400|invalid|series[0].values[1]",
                "numbers mixed with rows|{\"series\": [{\"values\": [[1], 2]}], \"horizon\": 1}|400|invalid|series[0].values[1]",
                "an id that is a number|{\"series\": [{\"id\": 7, \"values\": W24}], \"horizon\": 1}|400|invalid|series[0].id",
                "an unknown field|{\"series\": [{\"values\": W24}], \"horizon\": 1, \"horizn\": 2}|400|invalid|horizn",
                "duplicate ids|{\"series\": [{\"id\": \"a\", \"values\": W24}, {\"id\": \"a\", \"values\": W24}], \"horizon\": 1}|400|invalid|series[1].id",
                "no horizon|{\"series\": [{\"values\": W24}]}|400|invalid|horizon",
                "horizon zero|{\"series\": [{\"values\": W24}], \"horizon\": 0}|400|invalid|horizon",
                "horizon negative|{\"series\": [{\"values\": W24}], \"horizon\": -3}|400|invalid|horizon",
                "horizon fractional|{\"series\": [{\"values\": W24}], \"horizon\": 1.5}|400|invalid|horizon",
                "horizon in exponent form|{\"series\": [{\"values\": W24}], \"horizon\": 1e0}|400|invalid|horizon",
                "horizon a string|{\"series\": [{\"values\": W24}], \"horizon\": \"3\"}|400|invalid|horizon",
                "horizon beyond the maximum|{\"series\": [{\"values\": W24}], \"horizon\": 1001}|422|horizon-too-long|horizon",
                "level 100|{\"series\": [{\"values\": W24}], \"horizon\": 1, \"level\": [100]}|400|invalid|level[0]",
                "level not a list|{\"series\": [{\"values\": W24}], \"horizon\": 1, \"level\": 80}|400|invalid|level",
                "unknown fill|{\"series\": [{\"values\": W24}], \"horizon\": 1, \"fill\": \"spline\"}|400|invalid|fill",
                "history shorter than the window|{\"series\": [{\"values\": [1, 2, 3]}], \"horizon\": 1}|422|series-too-short|series[0].values",
                "rows wider than the model's features|{\"series\": [{\"values\": [[1, 2]]}], \"horizon\": 1}|422|unprocessable|series[0].values",
                "all values null|{\"series\": [{\"values\": N24}], \"horizon\": 1}|422|unprocessable|series[0]",
                "a gap with fill error|{\"series\": [{\"values\": G24}], \"horizon\": 1, \"fill\": \"error\"}|422|unprocessable|series[0]",
            })
    void forecastRefuses(String what, String body, int status, String kind, String field) throws Exception {
        String json = body.replace("W24", WINDOW_24)
                .replace("N24", "[" + "null,".repeat(23) + "null]")
                .replace("G24", "[" + "1,".repeat(23) + "null]");
        JsonNode problem = assertProblem(
                post("/v1/models/fc-sunspots:forecast", json), status, kind, field.equals("-") ? null : field);
        assertThat(problem.get("detail").asString()).as(what).isNotBlank();
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertProblem(post("/v1/models/fc-sunspots:forecast", "{\"series\": [{\"values\": [1, 2"), 400);
    }

    @Test
    void unknownModelVersionOrLabelIs404() throws Exception {
        String body = "{\"series\": [{\"values\": " + WINDOW_24 + "}], \"horizon\": 1}";
        assertProblem(post("/v1/models/fc-nothing:forecast", body), 404, "model-not-found", null);
        assertProblem(post("/v1/models/fc-sunspots/versions/9:forecast", body), 404, "version-not-found", null);
        assertProblem(post("/v1/models/fc-sunspots/labels/nope:forecast", body), 404, "version-not-found", null);
        assertProblem(post("/v1/models/fc-sunspots/versions/zero:forecast", body), 400);
    }

    @Test
    void aModelWhoseTaskIsNotForecastingIs422() throws Exception {
        JsonNode problem = assertProblem(
                post("/v1/models/fc-generic:forecast", "{\"series\": [{\"values\": [1, 2, 3, 4, 5]}], \"horizon\": 1}"),
                422,
                "wrong-task",
                null);
        assertThat(problem.get("detail").asString()).contains("task: forecasting");
    }

    @Test
    void aForecastingBlockThatCannotBeUsedFailsTheVersionAtLoadAndIs422() throws Exception {
        assertThat(json(get("/v1/models/fc-bad-block")).get("state").asString()).isEqualTo("failed");
        assertThat(json(get("/v1/models/fc-wrong-window")).get("error").asString())
                .contains("window 12");
        String body = "{\"series\": [{\"values\": " + WINDOW_24 + "}], \"horizon\": 1}";
        assertThat(assertProblem(post("/v1/models/fc-bad-block:forecast", body), 422)
                        .get("detail")
                        .asString())
                .contains("forecasting block")
                .contains("colour");
        assertThat(assertProblem(post("/v1/models/fc-wrong-window:forecast", body), 422)
                        .get("detail")
                        .asString())
                .contains("window 12")
                .contains("24 steps");
    }

    @Test
    void aSeq2seqModelWithClassProbabilitiesPerStepIs422() throws Exception {
        List<List<Integer>> rows = Collections.nCopies(7, Collections.nCopies(12, 0));
        JsonNode problem =
                assertProblem(call("fc-seq2seq", "forecast", body(List.of(series("a", rows)), "horizon", 3)), 422);
        assertThat(problem.get("detail").asString()).contains("[-1, 3, 12]").contains("not a forecast");
    }

    @Test
    void multivariateNextStepModelsRefuseLongerHorizonsForWantOfCovariates() throws Exception {
        List<List<Double>> rows = Collections.nCopies(14, Collections.nCopies(6, 0.5));
        JsonNode problem =
                assertProblem(call("fc-tsla", "forecast", body(List.of(series("a", rows)), "horizon", 2)), 422);
        assertThat(problem.get("detail").asString()).contains("covariates");
        assertProblem(
                call(
                        "fc-tsla",
                        "forecast",
                        body(List.of(series("a", Collections.nCopies(14, List.of(1.0)))), "horizon", 1)),
                422);
    }

    @Test
    void multiHorizonModelsRefuseMoreStepsThanTheyReturn() throws Exception {
        JsonNode problem = assertProblem(
                call("fc-drift", "forecast", body(List.of(series("a", new double[] {1, 2, 3, 4})), "horizon", 4)), 422);
        assertThat(problem.get("detail").asString()).contains("at most 3");
    }

    @Test
    void tooManySeriesOrPointsAre413() throws Exception {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(series("s" + i, new double[] {1}));
        }
        assertProblem(call("fc-sunspots", "forecast", body(many, "horizon", 1)), 413);
        List<Map<String, Object>> long10 = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long10.add(series("s" + i, new double[100_001]));
        }
        assertProblem(call("fc-sunspots", "forecast", body(long10, "horizon", 1)), 413);
    }

    @Test
    void backtestRefusesWindowsThatDoNotFitAndTooManyRows() throws Exception {
        double[] sunspots = ForecastData.sunspots();
        JsonNode problem = assertProblem(
                call("fc-sunspots", "backtest", body(List.of(series("s", sunspots)), "horizon", 1, "windows", 300)),
                422);
        assertThat(problem.get("detail").asString()).contains("needs at least");
        assertProblem(
                call("fc-sunspots", "backtest", body(List.of(series("s", sunspots)), "horizon", 1, "windows", 0)), 400);
        assertProblem(
                call("fc-sunspots", "backtest", body(List.of(series("s", sunspots)), "horizon", 1, "season", -1)), 400);
        assertProblem(
                call("fc-sunspots", "backtest", body(List.of(series("s", sunspots)), "horizon", 1, "windows", 20001)),
                413);
        assertProblem(call("fc-sunspots", "backtest", body(List.of(series("s", sunspots)), "windows", 2)), 400);
    }

    @Test
    void calibrateRefusesShortSeriesAndChangesNothing() throws Exception {
        String manifest = ok(get("/v1/models/fc-sunspots")).get("manifest").toString();
        assertProblem(call("fc-sunspots", "calibrate", body(List.of(series("s", new double[24])), "horizon", 1)), 422);
        assertProblem(call("fc-sunspots", "calibrate", body(List.of(series("s", new double[30])), "horizon", 0)), 400);
        assertProblem(call("fc-sunspots", "calibrate", body(List.of(series("s", new double[30])), "windows", 10)), 422);
        assertProblem(call("fc-generic", "calibrate", body(List.of(series("s", new double[30])))), 422);
        assertThat(ok(get("/v1/models/fc-sunspots")).get("manifest").toString()).isEqualTo(manifest);
    }

    @Test
    void problemsAreCountedAsInvalidInTheForecastMetrics() throws Exception {
        HttpResponse<String> response =
                post("/v1/models/fc-sunspots:forecast", "{\"series\": [{\"values\": [1]}], \"horizon\": 1}");
        assertProblem(response, 422);
        assertThat(metric(
                        "seqserve_forecast_duration_seconds_count",
                        "model=\"fc-sunspots\",operation=\"forecast\",outcome=\"invalid\""))
                .isPositive();
    }
}
