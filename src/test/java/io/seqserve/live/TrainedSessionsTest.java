package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Exactness with models seqserve trains (tiny ones, seconds): a forecaster without attention is published with its
 * state declared, so observations fed one by one through a session forecast exactly what {@code :forecast} gives on
 * the whole history; a char LM's continuation through a session is the greedy text of one call with the whole
 * prompt. For an LSTM and a GRU each.
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
        JsonNode view = json(get("/v1/models/" + name + "/versions/" + version));
        assertThat(view.at("/inputs/1/name").asString()).isEqualTo("state_h");
        assertThat(view.at("/inputs/1/state").asBoolean()).isTrue();

        String ref = name + "/versions/" + version;
        String id = open(ref, body("history", Arrays.copyOf(series, 150), "horizon", 3))
                .get("id")
                .asString();
        for (int t = 150; t < 170; t++) {
            JsonNode answer = observed(id, List.of(series[t]));
            double[] whole = forecast(ref, Arrays.copyOf(series, t + 1), 3);
            double[] mean = doubles(answer.at("/forecast/mean"));
            for (int h = 0; h < 3; h++) {
                assertThat(mean[h]).as("t=%d step %d", t, h).isCloseTo(whole[h], within(1e-3));
            }
        }
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
