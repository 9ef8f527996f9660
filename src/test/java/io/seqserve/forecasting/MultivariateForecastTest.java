package io.seqserve.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Several targets, past, future and static covariates, calendar features and series ids over real HTTP, with
 * linear SavedModels whose answers are known exactly, and the real 6-feature Keras GRU forecasting several steps
 * from the future values of its covariates.
 */
class MultivariateForecastTest extends ForecastingTest {

    @BeforeEach
    void multivariateModelsAvailable() throws Exception {
        MultivariateTestModels.publish();
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (String name : MultivariateTestModels.NAMES) {
            while (true) {
                HttpResponse<String> r = get("/v1/models/" + name);
                String state = r.statusCode() == 200 ? json(r).get("state").asString() : "";
                if (state.equals("available")
                        || state.equals("failed") && MultivariateTestModels.UNUSABLE.contains(name)) {
                    break;
                }
                assertThat(System.nanoTime())
                        .as("%s loads (%s)", name, r.body())
                        .isLessThan(until);
                Thread.sleep(100);
            }
        }
    }

    private static Map<String, Object> series(String id, Object values, Object... more) {
        Map<String, Object> s = new LinkedHashMap<>(ForecastingTest.series(id, values));
        for (int i = 0; i < more.length; i += 2) {
            s.put((String) more[i], more[i + 1]);
        }
        return s;
    }

    @Test
    void aNextStepModelForecastsBothTargetsFeedingItsForecastsBackWithTheGivenFutureCovariate() throws Exception {
        JsonNode answer = ok(call(
                "mv-two",
                "forecast",
                body(
                        List.of(series(
                                "s", List.of(List.of(1, 8, 0), List.of(2, 4, 10)), "future", List.of(20, 30, 40))),
                        "horizon",
                        3,
                        "level",
                        List.of(80))));
        // a' = a + c/10 with c of the step forecast (20, 30, 40); b' = b / 2.
        JsonNode a = answer.at("/forecasts/0");
        JsonNode b = answer.at("/forecasts/1");
        assertThat(a.get("id").asString()).isEqualTo("s");
        assertThat(a.get("target").asString()).isEqualTo("a");
        assertThat(doubles(a.get("mean"))).containsExactly(4, 7, 11);
        assertThat(b.get("target").asString()).isEqualTo("b");
        assertThat(doubles(b.get("mean"))).containsExactly(2, 1, 0.5);
        // a's residuals give intervals for steps 1 and 2 (half-widths 1 and 2 at 80%); b has none, and says so.
        assertThat(a.at("/intervals/80/lower/0").asDouble()).isEqualTo(3);
        assertThat(a.at("/intervals/80/upper/1").asDouble()).isEqualTo(9);
        assertThat(a.at("/intervals/80/lower/2").isNull()).isTrue();
        assertThat(b.has("intervals")).isFalse();
        assertThat(answer.get("warnings").toString()).contains("'b'");
    }

    @Test
    void aMultiHorizonModelOfTwoTargetsAnswersInOnePassReadingTheCovariatesOfItsHorizon() throws Exception {
        String passes = "model=\"mv-mimo\",operation=\"forecast\"";
        double before = metric("seqserve_forecast_forward_passes_sum", passes);
        JsonNode answer = ok(call(
                "mv-mimo",
                "forecast",
                body(
                        List.of(series(
                                "s",
                                List.of(List.of(1, 5, 100), List.of(2, 6, 200), List.of(3, 7, 300)),
                                "future",
                                List.of(List.of(400), List.of(500)))),
                        "horizon",
                        2)));
        assertThat(doubles(answer.at("/forecasts/0/mean"))).containsExactly(403, 503);
        assertThat(doubles(answer.at("/forecasts/1/mean"))).containsExactly(7, 7);
        assertThat(metric("seqserve_forecast_forward_passes_sum", passes) - before)
                .isEqualTo(1);
    }

    @Test
    void calendarFeaturesAreDerivedFromTheStartAndTheManifestsFrequency() throws Exception {
        JsonNode answer = ok(call(
                "mv-calendar",
                "forecast",
                body(List.of(series("s", new double[] {5, 5, 5}, "start", "2024-01")), "horizon", 2)));
        // Values are January to March; the forecasts are April and May: sin of their month phases.
        assertThat(answer.at("/forecasts/0/mean/0").asDouble()).isCloseTo(Math.sin(2 * Math.PI * 3 / 12), within(1e-6));
        assertThat(answer.at("/forecasts/0/mean/1").asDouble()).isCloseTo(Math.sin(2 * Math.PI * 4 / 12), within(1e-6));
        assertProblem(
                call("mv-calendar", "forecast", body(List.of(series("s", new double[] {5})), "horizon", 1)),
                422,
                "unprocessable",
                "series[0].start");
        assertProblem(
                call(
                        "mv-calendar",
                        "forecast",
                        body(List.of(series("s", new double[] {5}, "start", "last tuesday")), "horizon", 1)),
                400,
                "invalid",
                "series[0].start");
    }

    @Test
    void pastCovariatesLimitANextStepModelToOneStepSaidAtLoadAndOnRequest() throws Exception {
        JsonNode version = json(get("/v1/models/mv-past"));
        assertThat(version.get("warnings").toString())
                .contains("forecasts 1 step at most")
                .contains("'p'".replace("'", ""));
        JsonNode one = ok(call(
                "mv-past",
                "forecast",
                body(List.of(series("s", List.of(List.of(1, 2), List.of(3, 4)))), "horizon", 1)));
        assertThat(one.at("/forecasts/0/mean/0").asDouble()).isEqualTo(7);
        JsonNode problem = assertProblem(
                call("mv-past", "forecast", body(List.of(series("s", List.of(List.of(1, 2)))), "horizon", 2)),
                422,
                "unprocessable",
                "horizon");
        assertThat(problem.get("detail").asString()).contains("past covariates").contains("[p]");
    }

    @Test
    void staticCovariatesAndSeriesIdsOfAGlobalModel() throws Exception {
        JsonNode answer = ok(call(
                "mv-static",
                "forecast",
                body(
                        List.of(
                                series("x", new double[] {1}, "static_covariates", List.of(120)),
                                series("z", new double[] {1}, "static_covariates", List.of(100)),
                                series("new", new double[] {1}, "static_covariates", List.of(90))),
                        "horizon",
                        1)));
        assertThat(answer.at("/forecasts/0/mean/0").asDouble()).isEqualTo(12);
        assertThat(answer.at("/forecasts/1/mean/0").asDouble()).isEqualTo(20);
        assertThat(answer.at("/forecasts/2/mean/0").asDouble()).isEqualTo(-1);
        assertThat(answer.get("warnings").toString()).contains("new");
        assertProblem(
                call("mv-static", "forecast", body(List.of(series("x", new double[] {1})), "horizon", 1)),
                422,
                "unprocessable",
                "series[0].static_covariates");
    }

    /** what | body | status | kind | field ({@code -}: none). V2 is two valid rows of (a, b, c). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no future values|{\"series\": [{\"values\": V2}], \"horizon\": 2}|422|unprocessable|series[0].future",
                "horizon beyond the future values|{\"series\": [{\"values\": V2, \"future\": [1, 2]}], \"horizon\": 3}|422|unprocessable|series[0].future",
                "a null future value|{\"series\": [{\"values\": V2, \"future\": [1, null]}], \"horizon\": 2}|400|invalid|series[0].future[1]",
                "a string future value|{\"series\": [{\"values\": V2, \"future\": [1, \"2\"]}], \"horizon\": 2}|400|invalid|series[0].future[1]",
                "NaN in future|{\"series\": [{\"values\": V2, \"future\": [NaN]}], \"horizon\": 1}|400|invalid|-",
                "future rows too wide|{\"series\": [{\"values\": V2, \"future\": [[1, 2]]}], \"horizon\": 1}|422|unprocessable|series[0].future",
                "too few variables per row|{\"series\": [{\"values\": [[1, 2], [3, 4]], \"future\": [1]}], \"horizon\": 1}|422|unprocessable|series[0].values",
                "too many variables per row|{\"series\": [{\"values\": [[1, 2, 3, 4], [3, 4, 5, 6]], \"future\": [1]}], \"horizon\": 1}|422|unprocessable|series[0].values",
                "static covariates it does not have|{\"series\": [{\"values\": V2, \"future\": [1], \"static_covariates\": [1]}], \"horizon\": 1}|422|unprocessable|series[0].static_covariates",
                "static covariates not numbers|{\"series\": [{\"values\": V2, \"future\": [1], \"static_covariates\": [\"a\"]}], \"horizon\": 1}|400|invalid|series[0].static_covariates[0]",
                "future not a list|{\"series\": [{\"values\": V2, \"future\": 5}], \"horizon\": 1}|400|invalid|series[0].future",
            })
    void badMultivariateRequestsAreProblems(String what, String body, int status, String kind, String field)
            throws Exception {
        String manifest = ok(get("/v1/models/mv-two")).get("manifest").toString();
        JsonNode problem = assertProblem(
                post("/v1/models/mv-two:forecast", body.replace("V2", "[[1, 8, 0], [2, 4, 10]]")),
                status,
                kind,
                field.equals("-") ? null : field);
        assertThat(problem.get("detail").asString()).as(what).isNotBlank();
        assertThat(ok(get("/v1/models/mv-two")).get("manifest").toString()).isEqualTo(manifest);
    }

    @Test
    void manifestsWhoseVariablesDoNotFitFailAtLoadWithTheReason() throws Exception {
        JsonNode vocab = json(get("/v1/models/mv-bad-vocab"));
        assertThat(vocab.get("state").asString()).isEqualTo("failed");
        assertThat(vocab.get("error").asString()).contains("targets list");
        JsonNode width = json(get("/v1/models/mv-bad-width"));
        assertThat(width.get("error").asString())
                .contains("make 2 input features")
                .contains("takes 4");
    }

    @Test
    void backtestAndCalibrationScoreAndStoreEachTarget() throws Exception {
        List<List<Double>> rows = new ArrayList<>();
        double a = 1;
        double b = 64;
        for (int t = 0; t < 30; t++) {
            double c = 10 * Math.sin(t);
            rows.add(List.of(a, b, c));
            a = a + (10 * Math.sin(t + 1)) / 10 + (t % 3 == 0 ? 0.5 : 0);
            b = b / 2 + 1;
        }
        JsonNode backtest = ok(call(
                "mv-two-cal",
                "backtest",
                body(List.of(series("s", rows)), "horizon", 2, "windows", 4, "step", 1, "season", 3)));
        assertThat(backtest.has("overall")).isFalse();
        JsonNode byTarget = backtest.get("overall_by_target");
        assertThat(byTarget.propertyNames()).containsExactly("a", "b");
        assertThat(backtest.at("/series/0/target").asString()).isEqualTo("a");
        assertThat(backtest.at("/series/1/target").asString()).isEqualTo("b");
        // b follows b' = b/2 + 1 and the model says b/2: every error is 1 at step 1, 1.5 at step 2.
        assertThat(byTarget.at("/b/model/mae").asDouble()).isCloseTo(1.25, within(1e-4));
        assertThat(byTarget.at("/a/model/points").asInt()).isEqualTo(8);

        JsonNode calibration =
                ok(call("mv-two-cal", "calibrate", body(List.of(series("s", rows)), "horizon", 2, "windows", 10)));
        assertThat(calibration.get("residuals").size()).isEqualTo(4);
        assertThat(calibration.at("/residuals/2/target").asString()).isEqualTo("b");
        assertThat(calibration.at("/residuals/2/mean_absolute_error").asDouble())
                .isCloseTo(1, within(1e-4));
        JsonNode targets = ok(get("/v1/models/mv-two-cal")).at("/manifest/forecasting/targets");
        assertThat(targets.get(0).get("residuals").propertyNames()).containsExactly("1", "2");
        assertThat(targets.get(1).at("/residuals/1").size()).isEqualTo(10);
        assertThat(targets.get(1).at("/residuals/1/0").asDouble()).isCloseTo(1, within(1e-4));
        JsonNode intervals = ok(call(
                        "mv-two-cal",
                        "forecast",
                        body(List.of(series("s", rows, "future", List.of(0))), "horizon", 1, "level", List.of(95))))
                .at("/forecasts/1/intervals/95");
        assertThat(intervals.at("/upper/0").asDouble()
                        - intervals.at("/lower/0").asDouble())
                .isCloseTo(2, within(1e-3));
    }

    /** 14 z-scored rows of (Open, High, Low, Close, Adj Close, sentiment) and the covariates of 3 days after. */
    private static double[][] tslaRows(int n) {
        double[][] rows = new double[n][];
        for (int t = 0; t < n; t++) {
            double open = 0.3 * Math.sin(t / 3.0);
            rows[t] = new double[] {open, open + 0.05, open - 0.05, open + 0.01, open + 0.01, 0.1 * (t % 2)};
        }
        return rows;
    }

    private static List<double[]> covariates(double[][] rows, int from, int to) {
        List<double[]> out = new ArrayList<>();
        for (int t = from; t < to; t++) {
            out.add(Arrays.copyOfRange(rows[t], 1, 6));
        }
        return out;
    }

    @Test
    void theSixFeatureKerasGruForecastsSeveralStepsFromTheFutureValuesOfItsCovariates() throws Exception {
        double[][] rows = tslaRows(17);
        double[][] history = Arrays.copyOf(rows, 14);
        // Same-day covariates (future_lead 0): 3 steps read the covariates of the next 2 days.
        JsonNode named = ok(call(
                "mv-tsla",
                "forecast",
                body(List.of(series("tsla", history, "future", covariates(rows, 14, 16))), "horizon", 3)));
        double[] three = doubles(named.at("/forecasts/0/mean"));
        assertThat(named.at("/forecasts/0/target").asString()).isEqualTo("Open");
        assertThat(three).hasSize(3);
        // The same by hand, one step at a time: append the forecast Open with that day's covariates.
        double[][] extended = history;
        for (int step = 0; step < 3; step++) {
            double next = ok(call("mv-tsla", "forecast", body(List.of(series("tsla", extended)), "horizon", 1)))
                    .at("/forecasts/0/mean/0")
                    .asDouble();
            assertThat(three[step]).isCloseTo(next, within(1e-5));
            if (step < 2) {
                extended = Arrays.copyOf(extended, extended.length + 1);
                double[] row = rows[14 + step].clone();
                row[0] = next;
                extended[extended.length - 1] = row;
            }
        }
        // The manifest without variables (fc-tsla: 6 features, target 0) reads the same future rows the same way.
        JsonNode legacy = ok(call(
                "fc-tsla",
                "forecast",
                body(List.of(series("tsla", history, "future", covariates(rows, 14, 16))), "horizon", 3)));
        assertThat(legacy.at("/forecasts/0").has("target")).isFalse();
        for (int h = 0; h < 3; h++) {
            assertThat(legacy.at("/forecasts/0/mean/" + h).asDouble()).isCloseTo(three[h], within(1e-6));
        }
        JsonNode problem = assertProblem(
                call(
                        "mv-tsla",
                        "forecast",
                        body(List.of(series("tsla", history, "future", covariates(rows, 14, 15))), "horizon", 3)),
                422,
                "unprocessable",
                "series[0].future");
        assertThat(problem.get("detail").asString()).contains("give 2 rows").contains("Adj Close");
    }
}
