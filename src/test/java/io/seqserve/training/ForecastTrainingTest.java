package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.TestModelRoot;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Forecasters trained through the API on real series, then served: an LSTM beats the naive forecast in
 * a backtest computed from the served model's own {@code :predict} answers; the same seed gives the same
 * model; multivariate, multi-horizon, attention and inline data with gaps train and serve too.
 */
class ForecastTrainingTest extends TrainingHttpTest {

    private static final String SUNSPOTS_JOB = """
            {"model_name": "%s", "task": "forecasting", "dataset": {"id": "%s", "column": "SUNACTIVITY"}, "window": 24,
             "architecture": {"cell": "lstm", "hidden_size": 32},
             "training": {"epochs": %d, "batch_size": 16, "learning_rate": 0.01, "early_stopping_patience": 8, "seed": %d}}
            """;

    @Test
    void anLstmOnSunspotsBeatsNaiveInABacktestThroughItsServedModel() throws Exception {
        String ds = uploadCsv("sunspots.csv");
        JsonNode job = succeeded(submit(SUNSPOTS_JOB.formatted("tr-sunspots-lstm", ds, 40, 0)));
        JsonNode metrics = job.get("result").get("metrics");
        assertThat(metrics.get("test_rmse").asDouble())
                .isLessThan(metrics.get("naive_rmse").asDouble());
        assertThat(job.get("history").size())
                .isEqualTo(metrics.get("epochs_trained").asInt());

        JsonNode version = json(get("/v1/models/tr-sunspots-lstm/versions/"
                + job.get("result").get("version").asInt()));
        assertThat(version.get("state").asString()).isEqualTo("available");
        assertThat(version.get("format").asString()).isEqualTo("djl");
        JsonNode forecasting = version.get("manifest").get("forecasting");
        assertThat(forecasting.get("window").asInt()).isEqualTo(24);
        assertThat(forecasting.get("output").asString()).isEqualTo("next_step");
        assertThat(forecasting.get("residuals").propertyNames()).contains("1", "12");

        // Rolling one-step backtest over the test part (the last 10%), from the served model's :predict.
        double[] series = column("sunspots.csv", 1);
        double mean = forecasting.get("scaling").get("mean").get(0).asDouble();
        double std = forecasting.get("scaling").get("std").get(0).asDouble();
        int from = series.length - (int) Math.round(series.length * 0.1);
        StringBuilder windows = new StringBuilder("[");
        for (int t = from; t < series.length; t++) {
            windows.append(t > from ? "," : "").append("[");
            for (int s = t - 24; s < t; s++) {
                windows.append(s > t - 24 ? "," : "")
                        .append("[")
                        .append((series[s] - mean) / std)
                        .append("]");
            }
            windows.append("]");
        }
        JsonNode outputs = predict("tr-sunspots-lstm", windows.append("]").toString());
        double model = 0;
        double naive = 0;
        for (int t = from; t < series.length; t++) {
            double forecast = outputs.get(t - from).get(0).asDouble() * std + mean;
            model += Math.pow(forecast - series[t], 2);
            naive += Math.pow(series[t - 1] - series[t], 2);
        }
        assertThat(Math.sqrt(model / (series.length - from)))
                .isLessThan(0.8 * Math.sqrt(naive / (series.length - from)));
    }

    @Test
    void progressStreamsOneEventPerEpochThenTheStatus() throws Exception {
        String ds = uploadCsv("nile.csv");
        String id = submit("""
                {"model_name": "tr-nile-events", "dataset": {"id": "%s", "column": "volume"}, "window": 10,
                 "architecture": {"cell": "gru", "hidden_size": 8}, "training": {"epochs": 6, "early_stopping_patience": 0}}
                """.formatted(ds));
        HttpResponse<Stream<String>> stream = HTTP.send(
                HttpRequest.newBuilder(uri("/v1/training-jobs/" + id + "/events"))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        List<JsonNode> data = new ArrayList<>();
        stream.body().forEach(line -> {
            if (line.startsWith("event:")) {
                events.add(line.substring(6));
            } else if (line.startsWith("data:")) {
                data.add(JSON.readTree(line.substring(5)));
            }
        });
        assertThat(events).hasSize(7).containsOnly("progress", "status").endsWith("status");
        for (int i = 0; i < 6; i++) {
            assertThat(data.get(i).get("epoch").asInt()).isEqualTo(i + 1);
            assertThat(data.get(i).get("epochs").asInt()).isEqualTo(6);
            assertThat(data.get(i).has("val_loss")).isTrue();
        }
        assertThat(data.get(6).get("status").asString()).isEqualTo("succeeded");
        assertThat(data.get(6).get("history").size()).isEqualTo(6);
        JsonNode finished = data.get(6).get("progress");
        assertThat(finished.get("phase").asString()).isEqualTo("finished");
        assertThat(finished.get("epoch").asInt()).isEqualTo(6);
        assertThat(finished.has("eta_seconds"))
                .as("a finished job has no time left")
                .isFalse();
        assertThat(job(id).get("progress")).isEqualTo(finished);
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedAnother() throws Exception {
        String ds = uploadCsv("sunspots.csv");
        succeeded(submit(SUNSPOTS_JOB.formatted("tr-seed-a", ds, 4, 7)));
        succeeded(submit(SUNSPOTS_JOB.formatted("tr-seed-b", ds, 4, 7)));
        succeeded(submit(SUNSPOTS_JOB.formatted("tr-seed-c", ds, 4, 8)));
        assertThat(params("tr-seed-a")).isEqualTo(params("tr-seed-b"));
        assertThat(params("tr-seed-a")).isNotEqualTo(params("tr-seed-c"));
    }

    @Test
    void multivariateMultiHorizonGruWithAttentionTrainsAndServes() throws Exception {
        String ds = uploadCsv("sunspots.csv");
        JsonNode job = succeeded(submit("""
                {"model_name": "tr-sunspots-multi", "dataset": {"id": "%s", "columns": ["YEAR", "SUNACTIVITY"], "target": "SUNACTIVITY"},
                 "window": 12, "horizon": 3, "season": 11,
                 "architecture": {"cell": "gru", "hidden_size": 16, "layers": 2, "dropout": 0.1, "attention": true},
                 "training": {"epochs": 5, "batch_size": 32}}
                """.formatted(ds)));
        JsonNode version = json(get("/v1/models/tr-sunspots-multi/versions/"
                + job.get("result").get("version").asInt()));
        JsonNode forecasting = version.get("manifest").get("forecasting");
        assertThat(forecasting.get("features").asInt()).isEqualTo(2);
        assertThat(forecasting.get("target_index").asInt()).isEqualTo(1);
        assertThat(forecasting.get("output").asString()).isEqualTo("multi_horizon");
        assertThat(forecasting.get("scaling").get("mean").size()).isEqualTo(2);
        assertThat(forecasting.get("residuals").propertyNames()).containsExactly("1", "2", "3");
        assertThat(version.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,3]");
        assertThat(version.get("manifest").get("architecture").get("attention").asBoolean())
                .isTrue();
        JsonNode out = predict("tr-sunspots-multi", "[[" + "[0.1, 0.2],".repeat(11) + "[0.1, 0.2]]]");
        assertThat(out.get(0).size()).isEqualTo(3);
        assertThat(job.get("result").get("metrics").has("seasonal_naive_rmse")).isTrue();
    }

    @Test
    void inlineValuesWithGapsAreInterpolatedAndAPlainRnnTrains() throws Exception {
        double[] nile = column("nile.csv", 1);
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < nile.length; i++) {
            values.append(i > 0 ? "," : "").append(i % 9 == 4 ? "null" : String.valueOf(nile[i]));
        }
        JsonNode job = succeeded(submit("""
                {"model_name": "tr-nile-inline", "dataset": {"values": %s}, "window": 8,
                 "architecture": {"cell": "rnn", "hidden_size": 8}, "training": {"epochs": 5, "test_fraction": 0}}
                """.formatted(values.append("]"))));
        JsonNode manifest = json(get("/v1/models/tr-nile-inline")).get("manifest");
        assertThat(manifest.get("training").get("dataset").get("inline").asString())
                .isEqualTo("values");
        assertThat(manifest.get("architecture").get("cell").asString()).isEqualTo("rnn");
        assertThat(job.get("result").get("metrics").has("test_rmse")).isFalse();
        // 100 values, every 9th missing; validation 20 % and no test part: training [0, 80), validation [80, 100).
        JsonNode splits = job.get("result").get("splits");
        assertThat(splits.get("train").toString()).isEqualTo("{\"steps\":80,\"values\":80,\"real\":71}");
        assertThat(splits.get("validation").toString()).isEqualTo("{\"steps\":20,\"values\":20,\"real\":18}");
        assertThat(splits.get("test").toString()).isEqualTo("{\"steps\":0,\"values\":0,\"real\":0}");
        assertThat(manifest.get("training").get("splits")).isEqualTo(splits);
        Path dir = TestModelRoot.get().resolve("tr-nile-inline/1");
        assertThat(dir.resolve("history.json")).exists();
        assertThat(dir.resolve("model-0000.params")).exists();
    }

    @Test
    void aLongSeriesKeepsTheLatestThousandResidualsPerStep() throws Exception {
        StringBuilder values = new StringBuilder("[");
        for (int t = 0; t < 6000; t++) {
            values.append(t > 0 ? "," : "").append(Math.round(100 * Math.sin(t / 9.0)) / 100.0);
        }
        succeeded(submit("""
                {"model_name": "tr-long-series", "dataset": {"values": %s}, "window": 3,
                 "architecture": {"cell": "gru", "hidden_size": 2}, "training": {"epochs": 1, "batch_size": 512}}
                """.formatted(values.append("]"))));
        JsonNode residuals = json(get("/v1/models/tr-long-series"))
                .get("manifest")
                .get("forecasting")
                .get("residuals");
        // One-step model rolled forward: step k has an error from each of the latest 1000 origins with k steps left.
        assertThat(residuals.propertyNames()).hasSize(12);
        for (int k = 1; k <= 12; k++) {
            assertThat(residuals.get(String.valueOf(k)).size()).isEqualTo(1001 - k);
        }
    }

    private static byte[] params(String model) throws Exception {
        return Files.readAllBytes(TestModelRoot.get().resolve(model + "/1/model-0000.params"));
    }

    private static double[] column(String file, int index) throws Exception {
        return Files.readAllLines(DATASETS.resolve(file)).stream()
                .skip(1)
                .filter(l -> !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.split(",")[index]))
                .toArray();
    }
}
