package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A forecaster trained with {@code publish: {stateful: true}} is published with its state declared: its sessions
 * read one value per observation (one forward pass of one row on the step meter), and each answer equals
 * {@code :forecast} on the whole history. A next-step GRU and a direct multi-horizon LSTM, trained in seconds.
 */
class StatefulPublicationTest extends LiveTest {

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

    private static Map<String, Object> job(String name, String cell, int horizon, Map<String, Object> publish) {
        return body(
                "model_name",
                name,
                "task",
                "forecasting",
                "dataset",
                body("values", Arrays.copyOf(sunspots(), 200)),
                "window",
                12,
                "horizon",
                horizon,
                "architecture",
                body("cell", cell, "hidden_size", 8, "layers", 2),
                "training",
                body("epochs", 2, "batch_size", 32, "seed", 1),
                "publish",
                publish);
    }

    @ParameterizedTest
    @CsvSource({"gru, 1", "lstm, 3"})
    void aStatefulPublicationObservesInOneStepAndForecastsLikeTheWholeHistory(String cell, int horizon)
            throws Exception {
        double[] series = sunspots();
        String name = "sp-" + cell;
        JsonNode job = train(job(name, cell, horizon, body("stateful", true)));
        String ref = name + "/versions/" + job.at("/result/version").asLong();
        awaitState(name, job.at("/result/version").asLong(), "available");
        JsonNode view = json(get("/v1/models/" + ref));
        assertThat(view.at("/inputs/0/shape").toString()).isEqualTo("[-1,-1,1]");
        assertThat(view.at("/inputs/1/name").asString()).isEqualTo("state_h");
        assertThat(view.at("/inputs/1/state").asBoolean()).isTrue();
        assertThat(view.at("/inputs").size()).isEqualTo(cell.equals("lstm") ? 3 : 2);

        JsonNode session = open(ref, body("history", Arrays.copyOf(series, 150), "horizon", horizon));
        assertThat(session.get("stateful").asBoolean()).isTrue();
        String id = session.get("id").asString();
        for (int t = 150; t < 165; t++) {
            double rows0 = metric("seqserve_session_step_rows_sum", "");
            double passes0 = metric("seqserve_session_step_rows_count", "");
            JsonNode answer = observed(id, List.of(series[t]));
            assertThat(metric("seqserve_session_step_rows_count", "") - passes0)
                    .as("forward passes for one observation")
                    .isEqualTo(1.0);
            assertThat(metric("seqserve_session_step_rows_sum", "") - rows0)
                    .as("rows for one observation")
                    .isEqualTo(1.0);
            double[] whole = forecast(ref, Arrays.copyOf(series, t + 1), horizon);
            double[] mean = doubles(answer.at("/forecast/mean"));
            assertThat(mean).hasSize(horizon);
            for (int h = 0; h < horizon; h++) {
                assertThat(mean[h]).as("%s t=%d step %d", ref, t, h).isCloseTo(whole[h], within(1e-3));
            }
        }
        // The job's metrics were computed on windows; :backtest scores the stateful reading of whole histories.
        HttpResponse<String> backtest = post(
                "/v1/models/" + ref + ":backtest",
                JSON.writeValueAsString(body(
                        "series",
                        List.of(body("id", "s", "values", Arrays.copyOf(series, 240))),
                        "horizon",
                        horizon,
                        "windows",
                        3)));
        assertThat(backtest.statusCode()).as(backtest.body()).isEqualTo(200);
        assertThat(json(backtest).at("/overall/model/mase").asDouble()).isPositive();
    }

    @Test
    void nonsenseIs400AndAnArchitectureThatCannotCarryStateIs422() throws Exception {
        HttpResponse<String> typed =
                post("/v1/training-jobs", JSON.writeValueAsString(job("sp-bad", "gru", 1, body("stateful", "yes"))));
        assertThat(typed.statusCode()).as(typed.body()).isEqualTo(400);
        assertThat(typed.body()).contains("publish.stateful");

        Map<String, Object> text = body(
                "model_name",
                "sp-bad-text",
                "task",
                "text-generation",
                "dataset",
                body("text", "abc abc abc abc"),
                "publish",
                body("stateful", true));
        HttpResponse<String> textual = post("/v1/training-jobs", JSON.writeValueAsString(text));
        assertThat(textual.statusCode()).as(textual.body()).isEqualTo(400);
        assertThat(json(textual).at("/errors/0/field").asString()).isEqualTo("publish");

        Map<String, Object> attention = job("sp-bad-att", "gru", 1, body("stateful", true));
        attention.put("architecture", body("cell", "gru", "hidden_size", 8, "attention", true));
        HttpResponse<String> attends = post("/v1/training-jobs", JSON.writeValueAsString(attention));
        assertThat(attends.statusCode()).as(attends.body()).isEqualTo(422);
        assertThat(json(attends).at("/errors/0/field").asString()).isEqualTo("publish.stateful");

        Map<String, Object> searched = job("sp-bad-search", "gru", 1, body("stateful", true));
        searched.put("search", body("attention", List.of(false, true)));
        HttpResponse<String> searches = post("/v1/training-jobs", JSON.writeValueAsString(searched));
        assertThat(searches.statusCode()).as(searches.body()).isEqualTo(422);

        assertThat(get("/v1/training-jobs").body()).doesNotContain("sp-bad");
    }
}
