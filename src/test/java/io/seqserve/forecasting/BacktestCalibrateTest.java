package io.seqserve.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.registry.Manifest;
import io.seqserve.registry.ManifestReader;
import io.seqserve.testing.TestModelRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code :backtest} and {@code :calibrate} on real series: the recorded accuracy, near-nominal coverage, atomic writes. */
class BacktestCalibrateTest extends ForecastingTest {

    /** meta.json's split_index: the test part forecasts years 247..308, one step ahead from the 24 before. */
    private static final int SPLIT =
            ForecastTestModels.SUNSPOTS_META.get("split_index").asInt();

    @ParameterizedTest
    @ValueSource(strings = {"fc-sunspots", "fc-sunspots-onnx"})
    void sunspotsLstmBeatsNaiveOnItsTestYearsAsRecorded(String model) throws Exception {
        double[] sunspots = ForecastData.sunspots();
        int windows = sunspots.length - SPLIT;
        JsonNode answer = ok(call(
                model,
                "backtest",
                body(
                        List.of(series("sunspots", sunspots)),
                        "horizon",
                        1,
                        "windows",
                        windows,
                        "step",
                        1,
                        "season",
                        11)));
        JsonNode overall = answer.get("overall");
        double recordedModel = ForecastTestModels.SUNSPOTS_META.get("test_rmse").asDouble();
        double recordedNaive =
                ForecastTestModels.SUNSPOTS_META.get("naive_rmse").asDouble();
        // The same 62 float32 forward passes PyTorch made: engines differ by ~1e-6 per value, so RMSE agrees to
        // ~1e-4; 0.01 leaves room for other CPUs' kernels. The naive baseline is plain arithmetic, recorded in float32.
        assertThat(overall.at("/model/rmse").asDouble()).isCloseTo(recordedModel, within(0.01));
        assertThat(overall.at("/naive/rmse").asDouble()).isCloseTo(recordedNaive, within(1e-4));
        assertThat(overall.at("/model/rmse").asDouble())
                .isLessThan(overall.at("/naive/rmse").asDouble());
        assertThat(overall.at("/model/mase").asDouble())
                .isLessThan(overall.at("/naive/mase").asDouble());
        assertThat(overall.at("/model/points").asInt()).isEqualTo(62);
        for (String score : List.of("mae", "rmse", "mape", "smape", "mase")) {
            assertThat(overall.at("/seasonal_naive/" + score).isNumber())
                    .as(score)
                    .isTrue();
        }
        JsonNode first = answer.at("/series/0");
        assertThat(first.get("id").asString()).isEqualTo("sunspots");
        assertThat(first.at("/cutoffs/0").asInt()).isEqualTo(SPLIT);
        assertThat(first.at("/metrics/model/rmse").asDouble())
                .isEqualTo(overall.at("/model/rmse").asDouble());
    }

    @Test
    void baselinesScoreAsTheirDefinitionsSay() throws Exception {
        // Period-3 pattern: seasonal naive with season 3 is exact, naive is not.
        double[] values = {1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9};
        JsonNode overall = ok(call(
                        "fc-sunspots",
                        "backtest",
                        body(List.of(series("p", values)), "horizon", 3, "windows", 2, "season", 3)))
                .get("overall");
        assertThat(overall.at("/seasonal_naive/mae").asDouble()).isZero();
        // The in-sample seasonal naive error is zero too, so MASE is undefined and left out.
        assertThat(overall.get("seasonal_naive").has("mase")).isFalse();
        // Naive repeats the last value 9: errors 8, 4, 0 per window.
        assertThat(overall.at("/naive/mae").asDouble()).isCloseTo(4, within(1e-9));
        assertThat(overall.at("/naive/rmse").asDouble()).isCloseTo(Math.sqrt(80.0 / 3), within(1e-9));
        assertThat(overall.at("/naive/mape").asDouble()).isCloseTo(100 * (8.0 / 1 + 4.0 / 5) / 3, within(1e-9));
    }

    @Test
    void backtestScoresTheMeansAsServedWithinTheBounds() throws Exception {
        double[] values = new double[40];
        java.util.Arrays.fill(values, 50);
        JsonNode overall = ok(call(
                        "fc-sunspots-capped",
                        "backtest",
                        body(List.of(series("flat", values)), "horizon", 1, "windows", 3, "season", 3)))
                .get("overall");
        // bounds {upper: 0}: every served one-step mean is 0 (the model says about 50), so every error is the
        // actual 50. Further steps would be forecast from the bounded 0 fed back, not from 50.
        assertThat(overall.at("/model/mae").asDouble()).isCloseTo(50, within(1e-9));
        assertThat(overall.at("/naive/mae").asDouble()).isZero();
    }

    /**
     * bilstm_series_w20 was trained on values 0..1099 of its series; calibrating on those and testing on the
     * 361 held-back values must cover near nominal. Tolerance 0.05: the binomial standard error of a coverage
     * over 361 points is 0.021 at 80% and 0.011 at 95%, so this is 2.4 and 4.3 standard errors.
     */
    @Test
    void intervalsCalibratedOnTheEarlierPartCoverTheHeldBackPartNearNominal() throws Exception {
        double[] series = ForecastData.bilstmSeries();
        JsonNode calibration = ok(call(
                "fc-bilstm-cal", "calibrate", body(List.of(series("train", slice(series, 0, 1100))), "horizon", 1)));
        assertThat(calibration.get("windows").asInt()).isEqualTo(1080);
        assertThat(calibration.at("/residuals/0/count").asInt()).isEqualTo(1080);

        JsonNode backtest = ok(call(
                "fc-bilstm-cal",
                "backtest",
                body(
                        List.of(series("all", series)),
                        "horizon",
                        1,
                        "windows",
                        series.length - 1100,
                        "season",
                        365,
                        "level",
                        List.of(80, 95))));
        assertThat(backtest.at("/overall/model/coverage/80").asDouble()).isCloseTo(0.80, within(0.05));
        assertThat(backtest.at("/overall/model/coverage/95").asDouble()).isCloseTo(0.95, within(0.05));
        assertThat(backtest.at("/overall/naive").has("coverage")).isFalse();

        JsonNode forecast = ok(call(
                "fc-bilstm-cal",
                "forecast",
                body(List.of(series("next", slice(series, 1441, 1461))), "horizon", 1, "level", List.of(80, 95))));
        double mean = forecast.at("/forecasts/0/mean/0").asDouble();
        double half80 = calibration.at("/residuals/0/half_width/80").asDouble();
        assertThat(forecast.at("/forecasts/0/intervals/80/lower/0").asDouble()).isCloseTo(mean - half80, within(1e-9));
        assertThat(forecast.at("/forecasts/0/intervals/95/upper/0").asDouble())
                .isGreaterThan(forecast.at("/forecasts/0/intervals/80/upper/0").asDouble());
        assertThat(forecast.has("warnings")).isFalse();
    }

    /**
     * The sunspots LSTM saw years 0..246 in training, so only its 62 test years give honest residuals:
     * calibrate on the first 31 of them, cover the last 31. Tolerance 0.15: with 31 points the binomial
     * standard error is 0.072 at 80% (and 0.039 at 95%), so this is about two standard errors.
     */
    @Test
    void sunspotsIntervalsCalibratedOnEarlierTestYearsCoverTheLaterOnes() throws Exception {
        double[] sunspots = ForecastData.sunspots();
        int calibrated = 31;
        ok(call(
                "fc-sunspots-heldout",
                "calibrate",
                body(List.of(series("early", slice(sunspots, SPLIT - 24, SPLIT + calibrated))), "horizon", 1)));
        JsonNode coverage = ok(call(
                        "fc-sunspots-heldout",
                        "backtest",
                        body(
                                List.of(series("late", sunspots)),
                                "horizon",
                                1,
                                "windows",
                                sunspots.length - SPLIT - calibrated,
                                "level",
                                List.of(80, 95))))
                .at("/overall/model/coverage");
        assertThat(coverage.get("80").asDouble()).isCloseTo(0.80, within(0.15));
        assertThat(coverage.get("95").asDouble()).isCloseTo(0.95, within(0.15));
    }

    @Test
    void calibrateWritesTheManifestAtomicallyAndTheRunningVersionUsesIt() throws Exception {
        Path dir = TestModelRoot.get().resolve("fc-sunspots-cal/1");
        double[] sunspots = ForecastData.sunspots();
        Map<String, Object> request =
                body(List.of(series("s", slice(sunspots, 250, 309))), "horizon", 2, "level", List.of(90));
        JsonNode before = ok(call("fc-sunspots-cal", "forecast", request));
        assertThat(before.at("/forecasts/0").has("intervals")).isFalse();
        assertThat(before.at("/warnings/0").asString()).contains("no conformal residuals");

        JsonNode calibration = ok(call(
                "fc-sunspots-cal/versions/1",
                "calibrate",
                body(
                        List.of(series("test years", slice(sunspots, SPLIT - 24, 309))),
                        "horizon",
                        3,
                        "windows",
                        20,
                        "step",
                        2)));
        assertThat(calibration.get("version").asInt()).isEqualTo(1);
        assertThat(calibration.get("residuals").size()).isEqualTo(3);

        Manifest onDisk = ManifestReader.read(dir);
        @SuppressWarnings("unchecked")
        Map<String, List<Double>> residuals =
                (Map<String, List<Double>>) onDisk.forecasting().get("residuals");
        assertThat(residuals.keySet()).containsExactly("1", "2", "3");
        assertThat(residuals.get("3")).hasSize(20);
        assertThat(onDisk.forecasting()).containsEntry("window", 24).containsKey("scaling");
        assertThat(onDisk.inputs()).hasSize(1);
        assertThat(onDisk.task()).isEqualTo("forecasting");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("sunspots_lstm_w24.pt", "seqserve.yaml");
        }
        JsonNode view = ok(get("/v1/models/fc-sunspots-cal"));
        assertThat(view.at("/manifest/forecasting/residuals/2").size()).isEqualTo(20);

        JsonNode after = ok(call("fc-sunspots-cal", "forecast", request));
        assertThat(after.has("warnings")).isFalse();
        double[] mean = doubles(after.at("/forecasts/0/mean"));
        assertThat(doubles(after.at("/forecasts/0/mean")))
                .containsExactly(doubles(before.at("/forecasts/0/mean")), within(1e-9));
        double[] lower = doubles(after.at("/forecasts/0/intervals/90/lower"));
        double[] upper = doubles(after.at("/forecasts/0/intervals/90/upper"));
        for (int h = 0; h < 2; h++) {
            assertThat(lower[h]).isLessThan(mean[h]);
            assertThat(upper[h] - mean[h]).isCloseTo(mean[h] - lower[h], within(1e-9));
        }

        // Beyond the 3 calibrated steps the bounds are null; 20 residuals are too few for 99%: both said once.
        JsonNode longer = ok(call(
                "fc-sunspots-cal",
                "forecast",
                body(List.of(series("s", slice(sunspots, 250, 309))), "horizon", 5, "level", List.of(99))));
        assertThat(longer.at("/forecasts/0/intervals/99/lower/2").isNumber()).isTrue();
        assertThat(longer.at("/forecasts/0/intervals/99/lower/3").isNull()).isTrue();
        assertThat(longer.at("/forecasts/0/intervals/99/upper/4").isNull()).isTrue();
        assertThat(longer.get("warnings")).hasSize(2);
        assertThat(longer.get("warnings").toString())
                .contains("steps [1, 2, 3] only")
                .contains("99% interval needs at least 99 residuals");
    }
}
