package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** HTTP helpers for the training tests: upload the shared data sets, submit jobs, wait for them. */
abstract class TrainingHttpTest extends ServerTest {

    static final Path DATASETS = TestModelRoot.SHARED.resolve("datasets");

    String uploadCsv(String file) throws Exception {
        HttpResponse<String> r =
                send("POST", "/v1/datasets?name=" + file, "text/csv", Files.readString(DATASETS.resolve(file)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asString();
    }

    String uploadText(String text) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/datasets", "text/plain; charset=utf-8", text);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asString();
    }

    String submit(String body) throws Exception {
        HttpResponse<String> r = post("/v1/training-jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("id").asString();
    }

    HttpResponse<String> postWithKey(String body, String key) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri("/v1/training-jobs"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode job(String id) throws Exception {
        HttpResponse<String> r = get("/v1/training-jobs/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    /** Waits until the job reaches one of the statuses; fails with the job's body otherwise. */
    JsonNode await(String id, Duration limit, String... statuses) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        Set<String> wanted = Set.of(statuses);
        while (true) {
            JsonNode job = job(id);
            if (wanted.contains(job.get("status").asString())) {
                return job;
            }
            assertThat(System.nanoTime())
                    .as("job %s reaches %s in time; now: %s", id, wanted, job)
                    .isLessThan(until);
            Thread.sleep(50);
        }
    }

    JsonNode succeeded(String id) throws Exception {
        JsonNode job = await(id, Duration.ofSeconds(50), "succeeded", "failed", "cancelled");
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
        return job;
    }

    /** The rows' outputs of a served model's {@code :predict} in TF Serving's columnar form. */
    JsonNode predict(String model, String inputs) throws Exception {
        HttpResponse<String> r = post("/v1/models/" + model + ":predict", "{\"inputs\": " + inputs + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("outputs");
    }
}
