package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Cancellation (running and queued), idempotent submission, listing by status, and grid search. */
class JobControlTest extends TrainingHttpTest {

    private static final String LONG_JOB = """
            {"model_name": "%s", "dataset": {"id": "%s", "column": "co2"}, "window": 24,
             "architecture": {"cell": "lstm", "hidden_size": 64}, "training": {"epochs": 1000, "early_stopping_patience": 0}}
            """;

    @Test
    void cancelsARunningJobAndAQueuedOneAndRegistersNothing() throws Exception {
        String ds = uploadCsv("co2.csv");
        String running = submit(LONG_JOB.formatted("tr-cancel-running", ds));
        String queued = submit(LONG_JOB.formatted("tr-cancel-queued", ds));
        await(running, Duration.ofSeconds(30), "running");
        assertThat(job(queued).get("status").asString()).isEqualTo("queued");

        HttpResponse<String> cancelQueued = post("/v1/training-jobs/" + queued + ":cancel", "");
        assertThat(cancelQueued.statusCode()).isEqualTo(200);
        assertThat(json(cancelQueued).get("status").asString()).isEqualTo("cancelled");

        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (job(running).path("progress").path("epoch").asInt() < 1 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        JsonNode cancelled = json(post("/v1/training-jobs/" + running + ":cancel", ""));
        if (!cancelled.get("status").asString().equals("cancelled")) {
            cancelled = await(running, Duration.ofSeconds(10), "cancelled");
        }
        assertThat(cancelled.get("finished_at").isNull()).isFalse();
        assertThat(cancelled.has("result")).isFalse();
        assertProblem(get("/v1/models/tr-cancel-running"), 404);
        assertProblem(get("/v1/models/tr-cancel-queued"), 404);

        assertProblem(post("/v1/training-jobs/" + running + ":cancel", ""), 409);
        assertProblem(post("/v1/training-jobs/job_000000000000:cancel", ""), 404);
        List<String> ids = new ArrayList<>();
        json(get("/v1/training-jobs?status=cancelled"))
                .get("jobs")
                .forEach(j -> ids.add(j.get("id").asString()));
        assertThat(ids).contains(running, queued);
        json(get("/v1/training-jobs?status=cancelled"))
                .get("jobs")
                .forEach(j -> assertThat(j.get("status").asString()).isEqualTo("cancelled"));
        assertProblem(get("/v1/training-jobs?status=sleeping"), 400);
    }

    @Test
    void anIdempotencyKeyReturnsTheSameJobForTheSameBodyAndRefusesAnotherBody() throws Exception {
        String ds = uploadCsv("nile.csv");
        String body = """
                {"model_name": "tr-idempotent", "dataset": {"id": "%s", "column": "volume"}, "window": 5,
                 "architecture": {"hidden_size": 4}, "training": {"epochs": 1}}
                """.formatted(ds);
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = postWithKey(body, key);
        HttpResponse<String> again = postWithKey(body, key);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        String id = json(first).get("id").asString();
        assertThat(json(again).get("id").asString()).isEqualTo(id);
        assertThat(again.headers().firstValue("Location")).hasValue("/v1/training-jobs/" + id);
        assertProblem(postWithKey(body.replace("\"epochs\": 1", "\"epochs\": 2"), key), 422);
        succeeded(id);
        assertThat(json(postWithKey(body, key)).get("id").asString()).isEqualTo(id);
        assertThat(json(get("/v1/models/tr-idempotent")).get("version").asInt()).isEqualTo(1);
    }

    @Test
    void gridSearchScoresEveryTrialByCrossValidationAndRegistersTheBest() throws Exception {
        String ds = uploadCsv("sunspots.csv");
        JsonNode job = succeeded(submit("""
                {"model_name": "tr-search", "dataset": {"id": "%s", "column": "SUNACTIVITY"}, "window": 12,
                 "architecture": {"cell": "gru"}, "training": {"epochs": 3},
                 "search": {"hidden_size": [4, 8], "learning_rate": [0.02, 0.005], "folds": 2}}
                """.formatted(ds)));
        JsonNode search = job.get("search");
        assertThat(search.get("grid_size").asInt()).isEqualTo(4);
        assertThat(search.get("folds").asInt()).isEqualTo(2);
        List<JsonNode> trials = new ArrayList<>();
        search.get("trials").forEach(trials::add);
        assertThat(trials).hasSize(4);
        trials.forEach(t -> {
            assertThat(t.get("fold_scores").size()).isEqualTo(2);
            assertThat(t.get("score").asDouble()).isPositive();
        });
        JsonNode best = trials.stream()
                .min(Comparator.comparingDouble(t -> t.get("score").asDouble()))
                .orElseThrow();
        assertThat(search.get("best")).isEqualTo(best.get("params"));
        JsonNode manifest = json(get("/v1/models/tr-search")).get("manifest");
        assertThat(manifest.get("architecture").get("hidden_size").asInt())
                .isEqualTo(best.get("params").get("hidden_size").asInt());
        assertThat(manifest.get("training").get("learning_rate").asDouble())
                .isEqualTo(best.get("params").get("learning_rate").asDouble());
        assertThat(job.get("progress").get("phase").asString()).isEqualTo("finished");

        // The event stream replays every scored trial, then the final model's epochs, then the end.
        HttpResponse<Stream<String>> stream = HTTP.send(
                HttpRequest.newBuilder(uri("/v1/training-jobs/" + job.get("id").asString() + "/events"))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> events = new ArrayList<>();
        List<JsonNode> data = new ArrayList<>();
        stream.body().forEach(line -> {
            if (line.startsWith("event:")) {
                events.add(line.substring(6));
            } else if (line.startsWith("data:")) {
                data.add(JSON.readTree(line.substring(5)));
            }
        });
        assertThat(events.subList(0, 4)).containsOnly("trial");
        for (int i = 0; i < 4; i++) {
            assertThat(data.get(i)).isEqualTo(trials.get(i));
        }
        assertThat(events.subList(4, events.size() - 1))
                .hasSize(job.get("history").size())
                .containsOnly("progress");
        assertThat(events).endsWith("status");
    }
}
