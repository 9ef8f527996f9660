package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.StatefulModels;
import io.seqserve.testing.TestModelRoot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Exactness with models seqserve trains (tiny ones, seconds): observations fed one by one through a session forecast
 * exactly what {@code :forecast} gives on the whole history, for the trained window forecaster and for the same
 * block with its state declared; a char LM's continuation through a session is the greedy text of one call with
 * the whole prompt. For an LSTM and a GRU each.
 */
class TrainedSessionsTest extends LiveTest {

    private JsonNode train(Map<String, Object> job) throws Exception {
        HttpResponse<String> r = post("/v1/training-jobs", JSON.writeValueAsString(job));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r).get("id").asString();
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode j = json(get("/v1/training-jobs/" + id));
            String status = j.get("status").asString();
            if (status.equals("succeeded")) {
                return j;
            }
            assertThat(status).as(j.toString()).isIn("queued", "running");
            assertThat(System.nanoTime()).as("job done in time").isLessThan(until);
            Thread.sleep(200);
        }
    }

    /**
     * A trained forecaster serves its window (as training evaluated it), so its sessions keep the window; the same
     * trained block also takes and returns its state when its manifest declares it (input of any length,
     * {@code state_h}/{@code state_c}), and then a session reads one value per observation. Both are exact.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void aTrainedForecasterFedOneByOneForecastsLikeTheWholeHistory(String cell) throws Exception {
        double[] series = sunspots();
        String name = "lv-trained-" + cell;
        JsonNode job = train(body(
                "model_name",
                name,
                "task",
                "forecasting",
                "dataset",
                body("values", Arrays.copyOf(series, 200)),
                "window",
                12,
                "architecture",
                body("cell", cell, "hidden_size", 8, "layers", 2),
                "training",
                body("epochs", 3, "batch_size", 32, "seed", 1)));
        long version = job.at("/result/version").asLong();
        String windowed = name + "/versions/" + version;
        String stateful = name + "-state";
        declareState(TestModelRoot.get().resolve(name).resolve(String.valueOf(version)), stateful, cell);
        awaitState(stateful, 1, "available");
        JsonNode view = json(get("/v1/models/" + stateful + "/versions/1"));
        assertThat(view.at("/inputs/1/name").asString()).isEqualTo("state_h");
        assertThat(view.at("/inputs/1/state").asBoolean()).isTrue();

        for (String ref : List.of(windowed, stateful + "/versions/1")) {
            JsonNode session = open(ref, body("history", Arrays.copyOf(series, 150), "horizon", 3));
            assertThat(session.get("stateful").asBoolean()).isEqualTo(ref.startsWith(stateful));
            String id = session.get("id").asString();
            for (int t = 150; t < 165; t++) {
                JsonNode answer = observed(id, List.of(series[t]));
                double[] whole = forecast(ref, Arrays.copyOf(series, t + 1), 3);
                double[] mean = doubles(answer.at("/forecast/mean"));
                for (int h = 0; h < 3; h++) {
                    assertThat(mean[h]).as("%s t=%d step %d", ref, t, h).isCloseTo(whole[h], within(1e-3));
                }
            }
        }
    }

    /**
     * Two targets and a future covariate (known ahead): a = 10 + 3 sin(t/4) + 2 promo, b = 0.5 a + a random walk;
     * promo random 0/1.
     */
    private static double[][] multivariate(int n) {
        java.util.Random random = new java.util.Random(5);
        double[][] rows = new double[n][];
        double p = 0;
        for (int t = 0; t < n; t++) {
            double promo = random.nextDouble() < 0.3 ? 1 : 0;
            p += 0.2 * random.nextGaussian();
            double a = 10 + 3 * Math.sin(t / 4.0) + 2 * promo + 0.1 * random.nextGaussian();
            rows[t] = new double[] {a, 0.5 * a + p, promo};
        }
        return rows;
    }

    /**
     * A trained multivariate forecaster (two targets and a future covariate): a session takes rows of all
     * its variables and the future covariates over the horizon with each call, and forecasts both targets exactly
     * as {@code :forecast} on the whole history with the same future does; the window model and the same block
     * with its state declared. Without the future covariates a horizon needs, an observation is refused and
     * changes nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void aMultivariateForecasterTakesAllVariablesOfAStepAndTheFutureCovariates(String cell) throws Exception {
        double[][] rows = multivariate(260);
        StringBuilder csv = new StringBuilder("a,b,promo\n");
        for (int t = 0; t < 220; t++) {
            csv.append(String.format(java.util.Locale.ROOT, "%.6f,%.6f,%.0f%n", rows[t][0], rows[t][1], rows[t][2]));
        }
        HttpResponse<String> uploaded = send("POST", "/v1/datasets?name=lv-mv-" + cell, "text/csv", csv.toString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String name = "lv-mv-" + cell;
        JsonNode job = train(body(
                "model_name",
                name,
                "task",
                "forecasting",
                "dataset",
                body(
                        "id",
                        json(uploaded).get("id").asString(),
                        "targets",
                        List.of("a", "b"),
                        "future_covariates",
                        List.of("promo")),
                "window",
                8,
                "architecture",
                body("cell", cell, "hidden_size", 8),
                "training",
                body("epochs", 2, "batch_size", 32, "seed", 1)));
        long version = job.at("/result/version").asLong();
        String windowed = name + "/versions/" + version;
        String stateful = name + "-state";
        declareState(TestModelRoot.get().resolve(name).resolve(String.valueOf(version)), stateful, cell);
        awaitState(stateful, 1, "available");
        int horizon = 3;
        for (String ref : List.of(windowed, stateful + "/versions/1")) {
            JsonNode session = open(
                    ref,
                    body("history", Arrays.copyOf(rows, 200), "future", promo(rows, 200, horizon), "horizon", horizon));
            assertThat(session.get("stateful").asBoolean()).isEqualTo(ref.startsWith(stateful));
            assertForecastsLikeTheWholeHistory(ref, session, rows, 200, horizon);
            String id = session.get("id").asString();
            for (int t = 200; t < 210; t++) {
                HttpResponse<String> r = post(
                        "/v1/sessions/" + id + ":observe",
                        JSON.writeValueAsString(
                                body("observations", List.of(rows[t]), "future", promo(rows, t + 1, horizon))));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertForecastsLikeTheWholeHistory(ref, json(r), rows, t + 1, horizon);
            }
            JsonNode before = json(get("/v1/sessions/" + id));
            HttpResponse<String> narrow = post(
                    "/v1/sessions/" + id + ":observe",
                    JSON.writeValueAsString(body("observations", List.of(List.of(1.0, 2.0)))));
            assertThat(narrow.statusCode()).as(narrow.body()).isEqualTo(422);
            assertThat(json(narrow).at("/errors/0/field").asString()).isEqualTo("observations[0]");
            HttpResponse<String> noFuture = post(
                    "/v1/sessions/" + id + ":observe",
                    JSON.writeValueAsString(body("observations", List.of(rows[210]))));
            assertThat(noFuture.statusCode()).as(noFuture.body()).isEqualTo(422);
            JsonNode after = json(get("/v1/sessions/" + id));
            assertThat(after.get("observations")).isEqualTo(before.get("observations"));
            assertThat(after.get("forecasts")).isEqualTo(before.get("forecasts"));
        }
    }

    /** The promo column over {@code horizon} steps from {@code from}, as rows of the one future covariate. */
    private static List<List<Double>> promo(double[][] rows, int from, int horizon) {
        List<List<Double>> out = new java.util.ArrayList<>();
        for (int t = from; t < from + horizon; t++) {
            out.add(List.of(rows[t][2]));
        }
        return out;
    }

    /** Both targets of {@code answer} equal {@code :forecast} on the first {@code n} rows with the same future. */
    private void assertForecastsLikeTheWholeHistory(String ref, JsonNode answer, double[][] rows, int n, int horizon)
            throws Exception {
        HttpResponse<String> r = post(
                "/v1/models/" + ref + ":forecast",
                JSON.writeValueAsString(body(
                        "series",
                        List.of(body("id", "s", "values", Arrays.copyOf(rows, n), "future", promo(rows, n, horizon))),
                        "horizon",
                        horizon)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode whole = json(r).get("forecasts");
        JsonNode live = answer.get("forecasts");
        assertThat(live).as(answer.toString()).hasSize(2);
        assertThat(answer.get("forecast")).isEqualTo(live.get(0));
        for (int j = 0; j < 2; j++) {
            assertThat(live.get(j).get("target").asString())
                    .isEqualTo(List.of("a", "b").get(j));
            double[] expected = doubles(whole.get(j).get("mean"));
            double[] actual = doubles(live.get(j).get("mean"));
            assertThat(actual).hasSameSizeAs(expected);
            for (int h = 0; h < horizon; h++) {
                assertThat(actual[h])
                        .as("%s after %d rows, target %d step %d", ref, n, j, h)
                        .isCloseTo(expected[h], within(1e-3 + 1e-5 * Math.abs(expected[h])));
            }
        }
    }

    /** A copy of a trained version whose manifest declares the block's state, as a user would write it. */
    private static void declareState(Path trained, String name, String cell) throws Exception {
        YAMLMapper yaml = YAMLMapper.builder().build();
        ObjectNode manifest = (ObjectNode) yaml.readTree(Files.readString(trained.resolve("seqserve.yaml")));
        long layers = manifest.at("/architecture/layers").asLong();
        long hidden = manifest.at("/architecture/hidden_size").asLong();
        long features = manifest.at("/inputs/0/shape/2").asLong();
        List<String> states = cell.equals("lstm") ? List.of("state_h", "state_c") : List.of("state_h");
        ArrayNode inputs = manifest.putArray("inputs");
        inputs.addObject()
                .put("name", "input")
                .put("dtype", "float32")
                .putArray("shape")
                .add(-1)
                .add(-1)
                .add(features);
        JsonNode output = manifest.at("/outputs/0").deepCopy(); // [batch, targets]
        ArrayNode outputs = manifest.putArray("outputs");
        outputs.add(output);
        for (String s : states) {
            for (ArrayNode list : List.of(inputs, outputs)) {
                list.addObject()
                        .put("name", s)
                        .put("dtype", "float32")
                        .putArray("shape")
                        .add(-1)
                        .add(layers)
                        .add(hidden);
            }
        }
        ObjectNode state = manifest.putObject("state");
        states.forEach(s -> state.withArray("inputs").add(s));
        states.forEach(s -> state.withArray("outputs").add(s));
        StatefulModels.publish(name, 1, dir -> {
            try (var files = Files.list(trained)) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals("seqserve.yaml")) {
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
            }
            Files.writeString(dir.resolve("seqserve.yaml"), yaml.writeValueAsString(manifest));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void aTrainedCharLmContinuesASessionAsOneCallWithTheWholePrompt(String cell) throws Exception {
        String name = "lv-trained-lm-" + cell;
        String text = "the quick brown fox jumps over the lazy dog. the dog sleeps; the fox runs away. ".repeat(6);
        JsonNode job = train(body(
                "model_name",
                name,
                "task",
                "text-generation",
                "dataset",
                body("text", text),
                "sequence_length",
                16,
                "embedding_size",
                8,
                "architecture",
                body("cell", cell, "hidden_size", 24),
                "training",
                body("epochs", 2, "batch_size", 16, "seed", 1)));
        String ref = name + "/versions/" + job.at("/result/version").asLong();
        String id = open(ref, body("text", "the quick ")).get("id").asString();
        String first = generate(ref, body("prompt", "", "max_tokens", 15, "temperature", 0, "session", id));
        String second = generate(ref, body("prompt", "fox", "max_tokens", 15, "temperature", 0, "session", id));
        String whole = generate(ref, body("prompt", "the quick " + first + "fox", "max_tokens", 15, "temperature", 0));
        assertThat(second).isEqualTo(whole);
        assertThat(json(get("/v1/sessions/" + id)).get("text").asString())
                .isEqualTo("the quick " + first + "fox" + second);
    }

    private String generate(String ref, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post("/v1/models/" + ref + ":generate", JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("text").asString();
    }
}
