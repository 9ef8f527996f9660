package io.seqserve.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code :forecast} over real HTTP with real models: recorded outputs, recursion, batching, the three refs. */
class ForecastApiTest extends ForecastingTest {

    /** meta.json's example inputs are z-scored; in the series' units they are example * std + mean. */
    @ParameterizedTest
    @ValueSource(strings = {"fc-sunspots", "fc-sunspots-onnx", "fc-sunspots-derived"})
    void sunspotsLstmReproducesItsRecordedOneStepValueAfterScaling(String model) throws Exception {
        JsonNode examples = ForecastTestModels.SUNSPOTS_META.get("example_input");
        List<Map<String, Object>> series = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            double[] raw = new double[24];
            for (int t = 0; t < 24; t++) {
                raw[t] = examples.get(i).get(t).get(0).asDouble() * ForecastTestModels.STD + ForecastTestModels.MEAN;
            }
            series.add(series("example" + i, raw));
        }
        JsonNode answer = ok(call(model, "forecast", body(series, "horizon", 1)));
        JsonNode expected = ForecastTestModels.SUNSPOTS_META.get("example_output");
        for (int i = 0; i < expected.size(); i++) {
            double value = expected.get(i).get(0).asDouble() * ForecastTestModels.STD + ForecastTestModels.MEAN;
            // PyTorch's recorded output agrees to 1e-4 in z units (see shared-models/README.md), i.e. 1e-4 * std here.
            assertThat(answer.at("/forecasts/" + i + "/mean/0").asDouble())
                    .isCloseTo(value, within(1e-4 * ForecastTestModels.STD));
            assertThat(answer.at("/forecasts/" + i + "/id").asString()).isEqualTo("example" + i);
        }
        assertThat(answer.has("warnings")).isFalse();
    }

    @Test
    void aTorchScriptForecasterWithoutInputsHasThemFromItsForecastingBlock() throws Exception {
        JsonNode version = json(get("/v1/models/fc-sunspots-derived"));
        assertThat(version.get("state").asString()).isEqualTo("available");
        assertThat(version.at("/inputs/0/shape")).isEqualTo(JSON.readTree("[-1, 24, 1]"));
        assertThat(version.at("/inputs/0/dtype").asString()).isEqualTo("float32");
        assertThat(version.at("/manifest/inputs").isNull())
                .as("the manifest shows what was written")
                .isTrue();
    }

    @Test
    void boundsClipTheMeanAndTheInterval() throws Exception {
        double[] history = new double[24];
        java.util.Arrays.fill(history, 50);
        JsonNode answer = ok(call(
                "fc-sunspots-bounded",
                "forecast",
                body(List.of(series("s", history)), "horizon", 1, "level", List.of(90))));
        double mean = answer.at("/forecasts/0/mean/0").asDouble();
        assertThat(mean).isBetween(0.0, 400.0);
        // the stored residual is 1000: unclipped the band would be mean -/+ 1000
        assertThat(answer.at("/forecasts/0/intervals/90/lower/0").asDouble()).isEqualTo(0.0);
        assertThat(answer.at("/forecasts/0/intervals/90/upper/0").asDouble()).isEqualTo(400.0);
    }

    @Test
    void kerasMsftLstmReproducesItsNotebookGoldenValuesInUsd() throws Exception {
        JsonNode answer = ok(call(
                "fc-msft",
                "forecast",
                body(
                        List.of(
                                series("cell62", new double[] {
                                    229.56416184, 172.56306615, 301.24160457, 272.47018967, 223.16284409
                                }),
                                series("cell46", new double[] {294.85, 294.23, 292.88, 296.31, 302.75})),
                        "horizon",
                        1)));
        // Golden values as printed by the notebook (5 decimals for the first, 4 for the second).
        assertThat(answer.at("/forecasts/0/mean/0").asDouble()).isCloseTo(231.69974, within(1e-4));
        assertThat(answer.at("/forecasts/1/mean/0").asDouble()).isCloseTo(299.2193, within(1e-3));
    }

    @Test
    void recursionFeedsEachForecastBackAsTheNewestValue() throws Exception {
        double[] history = slice(ForecastData.sunspots(), 200, 260);
        double[] three = doubles(ok(call("fc-sunspots", "forecast", body(List.of(series("s", history)), "horizon", 3)))
                .at("/forecasts/0/mean"));
        double[] extended = history;
        for (int step = 0; step < 3; step++) {
            double next = ok(call("fc-sunspots", "forecast", body(List.of(series("s", extended)), "horizon", 1)))
                    .at("/forecasts/0/mean/0")
                    .asDouble();
            assertThat(three[step]).isCloseTo(next, within(1e-3));
            extended = Arrays.copyOf(extended, extended.length + 1);
            extended[extended.length - 1] = next;
        }
    }

    @Test
    void manySeriesInOneRequestTakeOnePassPerStepAndMatchSingleRequests() throws Exception {
        double[] sunspots = ForecastData.sunspots();
        List<Map<String, Object>> series = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            series.add(series("s" + i, slice(sunspots, i * 20, i * 20 + 30 + i)));
        }
        String passes = "model=\"fc-passes\",operation=\"forecast\"";
        double before = metric("seqserve_forecast_forward_passes_sum", passes);
        JsonNode all = ok(call("fc-passes", "forecast", body(series, "horizon", 6)));
        assertThat(metric("seqserve_forecast_forward_passes_sum", passes) - before)
                .isEqualTo(6);
        assertThat(metric("seqserve_forecast_series_sum", passes)).isGreaterThanOrEqualTo(10);
        for (int i = 0; i < 10; i += 3) {
            JsonNode one = ok(call("fc-sunspots", "forecast", body(List.of(series.get(i)), "horizon", 6)));
            double[] expected = doubles(one.at("/forecasts/0/mean"));
            double[] actual = doubles(all.at("/forecasts/" + i + "/mean"));
            for (int h = 0; h < 6; h++) {
                assertThat(actual[h]).isCloseTo(expected[h], within(1e-3));
            }
        }
    }

    @Test
    void theThreeRefFormsResolveTheVersionTheyName() throws Exception {
        assertThat(send("PUT", "/v1/models/fc-refs/labels/stable", "application/json", "{\"version\": 1}")
                        .statusCode())
                .isEqualTo(200);
        Map<String, Object> request = body(List.of(series("s", slice(ForecastData.sunspots(), 0, 40))), "horizon", 2);
        JsonNode bare = ok(call("fc-refs", "forecast", request));
        JsonNode numbered = ok(call("fc-refs/versions/2", "forecast", request));
        JsonNode labelled = ok(call("fc-refs/labels/stable", "forecast", request));
        assertThat(bare.get("version").asLong()).isEqualTo(2);
        assertThat(numbered.get("version").asLong()).isEqualTo(2);
        assertThat(labelled.get("version").asLong()).isEqualTo(1);
        assertThat(labelled.get("model").asString()).isEqualTo("fc-refs");
        // Version 1 is TorchScript, version 2 ONNX, of the same weights.
        assertThat(labelled.at("/forecasts/0/mean/1").asDouble())
                .isCloseTo(bare.at("/forecasts/0/mean/1").asDouble(), within(1e-3));
    }

    @Test
    void rankTwoBilstmReadsItsWindowWithoutAFeatureAxis() throws Exception {
        double[] series = ForecastData.bilstmSeries();
        // SOURCE.txt: series[1200:1220] -> 18.66, [1300:1320] -> 17.29, [1400:1420] -> 16.27.
        JsonNode answer = ok(call(
                "fc-bilstm",
                "forecast",
                body(
                        List.of(
                                series("a", slice(series, 1180, 1220)),
                                series("b", slice(series, 1300, 1320)),
                                series("c", slice(series, 1400, 1420))),
                        "horizon",
                        2)));
        assertThat(answer.at("/forecasts/0/mean/0").asDouble()).isCloseTo(18.66, within(0.01));
        assertThat(answer.at("/forecasts/1/mean/0").asDouble()).isCloseTo(17.29, within(0.01));
        assertThat(answer.at("/forecasts/2/mean/0").asDouble()).isCloseTo(16.27, within(0.01));
        assertThat(answer.at("/forecasts/2/mean").size()).isEqualTo(2);
    }

    @Test
    void variableLengthModelReadsTheWholeHistoryOrItsConfiguredWindow() throws Exception {
        double[] series = slice(ForecastData.bilstmSeries(), 0, 40);
        double[] last10 = slice(series, 30, 40);
        // Two lengths in one request (two passes per step) answer as each series alone.
        JsonNode whole = ok(call(
                "fc-convlstm",
                "forecast",
                body(List.of(series("long", series), series("short", last10)), "horizon", 2)));
        JsonNode shortAlone = ok(call("fc-convlstm", "forecast", body(List.of(series("short", last10)), "horizon", 2)));
        JsonNode longAlone = ok(call("fc-convlstm", "forecast", body(List.of(series("long", series)), "horizon", 2)));
        for (int h = 0; h < 2; h++) {
            assertThat(whole.at("/forecasts/1/mean/" + h).asDouble())
                    .isCloseTo(shortAlone.at("/forecasts/0/mean/" + h).asDouble(), within(1e-4));
            assertThat(whole.at("/forecasts/0/mean/" + h).asDouble())
                    .isCloseTo(longAlone.at("/forecasts/0/mean/" + h).asDouble(), within(1e-4));
        }
        assertThat(whole.at("/forecasts/0/mean/0").asDouble())
                .isNotCloseTo(shortAlone.at("/forecasts/0/mean/0").asDouble(), within(1e-3));

        // With window 10 in the manifest, each step reads the newest 10 values, forecasts included.
        JsonNode windowed =
                ok(call("fc-convlstm-w10", "forecast", body(List.of(series("long", series)), "horizon", 2)));
        double first = windowed.at("/forecasts/0/mean/0").asDouble();
        assertThat(first).isCloseTo(shortAlone.at("/forecasts/0/mean/0").asDouble(), within(1e-4));
        double[] slid = Arrays.copyOf(slice(series, 31, 40), 10);
        slid[9] = first;
        JsonNode second = ok(call("fc-convlstm", "forecast", body(List.of(series("slid", slid)), "horizon", 1)));
        assertThat(windowed.at("/forecasts/0/mean/1").asDouble())
                .isCloseTo(second.at("/forecasts/0/mean/0").asDouble(), within(1e-4));
    }

    @Test
    void multiHorizonModelAnswersAllStepsFromOnePass() throws Exception {
        double[] window = {10, 12, 11, 16};
        double[] expected = DriftSavedModel.reference(window);
        JsonNode three = ok(call(
                "fc-drift", "forecast", body(List.of(series("a", new double[] {99, 10, 12, 11, 16})), "horizon", 3)));
        for (int h = 0; h < 3; h++) {
            assertThat(three.at("/forecasts/0/mean/" + h).asDouble()).isCloseTo(expected[h], within(1e-4));
        }
        JsonNode two = ok(call("fc-drift", "forecast", body(List.of(series("a", window)), "horizon", 2)));
        assertThat(two.at("/forecasts/0/mean").size()).isEqualTo(2);
    }

    @Test
    void multivariateModelForecastsOneStepFromRows() throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (int t = 0; t < 14; t++) {
            rows.add(new double[] {0.1 * t, 0.1 * t + 0.05, 0.1 * t - 0.05, 0.1 * t, 0.1 * t, 0.0});
        }
        JsonNode answer = ok(call("fc-tsla", "forecast", body(List.of(series("tsla", rows)), "horizon", 1)));
        assertThat(answer.at("/forecasts/0/mean").size()).isEqualTo(1);
        assertThat(Double.isFinite(answer.at("/forecasts/0/mean/0").asDouble())).isTrue();
    }

    @Test
    void co2GapsAreFilledByLinearInterpolationUnlessTheRequestSaysOtherwise() throws Exception {
        Double[] co2 = ForecastData.co2();
        // Weeks 1300..1427: a gap of four weeks (1357-1360) and one at the end (1427).
        Double[] recent = Arrays.copyOfRange(co2, 1300, 1428);
        assertThat(Arrays.stream(recent).filter(v -> v == null).count()).isEqualTo(5);
        double[] linear = fill(recent, true);
        double[] ffill = fill(recent, false);

        JsonNode gaps = ok(call("fc-convlstm", "forecast", body(List.of(series("co2", recent)), "horizon", 4)));
        JsonNode filled = ok(call("fc-convlstm", "forecast", body(List.of(series("co2", linear)), "horizon", 4)));
        JsonNode gapsFfill = ok(
                call("fc-convlstm", "forecast", body(List.of(series("co2", recent)), "horizon", 4, "fill", "ffill")));
        JsonNode filledFfill = ok(call("fc-convlstm", "forecast", body(List.of(series("co2", ffill)), "horizon", 4)));
        for (int h = 0; h < 4; h++) {
            assertThat(gaps.at("/forecasts/0/mean/" + h).asDouble())
                    .isCloseTo(filled.at("/forecasts/0/mean/" + h).asDouble(), within(1e-4));
            assertThat(gapsFfill.at("/forecasts/0/mean/" + h).asDouble())
                    .isCloseTo(filledFfill.at("/forecasts/0/mean/" + h).asDouble(), within(1e-4));
        }
    }

    /** Linear interpolation between known neighbours (or forward fill), the last value after the end; no leading gap here. */
    private static double[] fill(Double[] values, boolean linear) {
        double[] out = new double[values.length];
        int last = -1;
        for (int t = 0; t < values.length; t++) {
            if (values[t] == null) {
                continue;
            }
            out[t] = values[t];
            for (int g = last + 1; g < t; g++) {
                out[g] = linear ? values[last] + (values[t] - values[last]) * (g - last) / (t - last) : values[last];
            }
            last = t;
        }
        for (int g = last + 1; g < values.length; g++) {
            out[g] = values[last];
        }
        return out;
    }
}
