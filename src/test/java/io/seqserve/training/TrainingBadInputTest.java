package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every bad job request is a 4xx problem and queues nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingBadInputTest extends TrainingHttpTest {

    private String nile;
    private String text;
    private String mixed;

    @BeforeAll
    void upload() throws Exception {
        nile = uploadCsv("nile.csv");
        text = uploadText("some text to train on, long enough for a few sequences of characters.");
        mixed = json(send("POST", "/v1/datasets", "text/csv", "when,value,label\n1,2.5,a\n2,,b\n3,4.0,c\n"))
                .get("id")
                .asString();
    }

    /** A valid body for the Nile series with one field replaced (a JSON fragment spliced in). */
    private String nileJob(String replace, String with) {
        String body = """
                {"model_name": "tr-bad", "task": "forecasting", "dataset": {"id": "NILE", "column": "volume"}, "window": 5,
                 "architecture": {"cell": "lstm", "hidden_size": 4}, "training": {"epochs": 1, "batch_size": 8, "learning_rate": 0.01}}
                """;
        assertThat(body).contains(replace);
        return body.replace(replace, with).replace("NILE", nile);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"epochs\": 1|\"epochs\": 0|400|training.epochs",
                "\"epochs\": 1|\"epochs\": -3|400|training.epochs",
                "\"batch_size\": 8|\"batch_size\": 0|400|training.batch_size",
                "\"learning_rate\": 0.01|\"learning_rate\": 0|400|training.learning_rate",
                "\"learning_rate\": 0.01|\"learning_rate\": -0.1|400|training.learning_rate",
                "\"cell\": \"lstm\"|\"cell\": \"transformer\"|400|architecture.cell",
                "\"model_name\": \"tr-bad\"|\"model_name\": \"Bad Name!\"|400|model_name",
                "\"model_name\": \"tr-bad\", |''|400|model_name",
                "\"task\": \"forecasting\"|\"task\": \"translation\"|400|task",
                "\"hidden_size\": 4|\"hidden_size\": 0|400|architecture.hidden_size",
                "\"epochs\": 1|\"epochs\": \"ten\"|400|training.epochs",
                "\"window\": 5|\"window\": 5, \"windw\": 3|400|windw",
                "\"window\": 5|\"window\": 95|422|window",
                "\"column\": \"volume\"|\"column\": \"flow\"|422|dataset.column",
                "\"id\": \"NILE\"|\"id\": \"ds_000000000000\"|422|dataset.id",
                "\"window\": 5|\"window\": 5, \"device\": \"gpu\"|422|device",
                "\"window\": 5|\"window\": 5, \"device\": \"tpu\"|400|device",
                "\"training\": {|\"search\": {\"hidden_size\": [1,2,3,4,5], \"learning_rate\": [0.1,0.2,0.3,0.4,0.5]}, \"training\": {|422|search",
                "\"training\": {|\"search\": {\"hidden_size\": [4, 8], \"folds\": 12}, \"training\": {|422|search.folds",
                "\"training\": {|\"search\": {\"hidden_size\": [4, -8]}, \"training\": {|400|search.hidden_size[1]",
                "\"training\": {|\"search\": {\"folds\": 3}, \"training\": {|400|search",
                "\"window\": 5|\"window\": 5, \"sequence_length\": 20|400|sequence_length",
                "\"window\": 5|\"window\": 5, \"publish\": {\"min_points\": 0}|400|publish.min_points",
                "\"window\": 5|\"window\": 5, \"publish\": {\"promote_if_better\": \"yes\"}|400|publish.promote_if_better",
                "\"window\": 5|\"window\": 5, \"publish\": {\"promote\": true}|400|publish.promote",
                // A value of the wrong JSON type is refused, never coerced.
                "\"epochs\": 1|\"epochs\": \"1\"|400|training.epochs",
                "\"epochs\": 1|\"epochs\": 1.5|400|training.epochs",
                "\"epochs\": 1|\"epochs\": 1e0|400|training.epochs",
                "\"epochs\": 1|\"epochs\": 99999999999|400|training.epochs",
                "\"learning_rate\": 0.01|\"learning_rate\": \"0.01\"|400|training.learning_rate",
                "\"model_name\": \"tr-bad\"|\"model_name\": 5|400|model_name",
                "\"hidden_size\": 4|\"hidden_size\": 4, \"attention\": \"true\"|400|architecture.attention",
                "\"architecture\": {|\"architecture\": [], \"x\": {|400|architecture",
                "\"id\": \"NILE\", \"column\": \"volume\"|\"values\": [1, 2, 1e400]|400|dataset.values",
                "\"id\": \"NILE\", \"column\": \"volume\"|\"values\": [[1, 2], [3]]|400|dataset.values",
                "\"training\": {|\"search\": {\"hidden_size\": [4, \"8\"]}, \"training\": {|400|search.hidden_size[1]",
            })
    void aBadJobIsAProblemAndQueuesNothing(String replace, String with, int status, String field) throws Exception {
        int before = json(get("/v1/training-jobs")).get("jobs").size();
        JsonNode problem =
                assertProblem(post("/v1/training-jobs", nileJob(replace, with.equals("''") ? "" : with)), status);
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).as(problem.toString()).contains(field);
        assertThat(problem.toString())
                .as("no Java names in a problem")
                .doesNotContain("io.seqserve", "java.", "`", "Coercion");
        assertThat(json(get("/v1/training-jobs")).get("jobs").size()).isEqualTo(before);
    }

    @Test
    void theDataMustFitTheTask() throws Exception {
        assertProblem(
                post(
                        "/v1/training-jobs",
                        nileJob("\"column\": \"volume\"", "\"column\": \"label\"")
                                .replace(nile, mixed)),
                422);
        assertProblem(
                post(
                        "/v1/training-jobs",
                        nileJob("\"column\": \"volume\"", "\"column\": \"value\"")
                                .replace(nile, text)),
                422);
        assertProblem(
                post("/v1/training-jobs", nileJob("\"column\": \"volume\"", "\"columns\": [\"volume\", \"volume\"]")),
                400);
        assertProblem(
                post(
                        "/v1/training-jobs",
                        nileJob("\"column\": \"volume\"", "\"column\": \"volume\", \"target\": \"year\"")),
                422);
        assertProblem(
                post("/v1/training-jobs", nileJob("\"id\": \"NILE\", \"column\": \"volume\"", "\"values\": []")), 400);
        assertProblem(
                post(
                        "/v1/training-jobs",
                        nileJob("\"id\": \"NILE\", \"column\": \"volume\"", "\"values\": [1, \"x\", 3]")),
                400);
        assertProblem(
                post(
                        "/v1/training-jobs",
                        nileJob("\"id\": \"NILE\", \"column\": \"volume\"", "\"values\": [null, null, null]")),
                422);
        assertProblem(
                post(
                        "/v1/training-jobs",
                        nileJob(
                                "\"id\": \"NILE\", \"column\": \"volume\"",
                                "\"id\": \"NILE\", \"column\": \"volume\", \"text\": \"abc\"")),
                400);
    }

    @Test
    void textJobsNeedATextLongEnoughForTheirSequences() throws Exception {
        assertProblem(post("/v1/training-jobs", """
                {"model_name": "tr-bad-text", "task": "text-generation", "dataset": {"id": "%s"}, "sequence_length": 64}
                """.formatted(text)), 422);
        assertProblem(post("/v1/training-jobs", """
                {"model_name": "tr-bad-text", "task": "text-generation", "dataset": {"text": ""}}
                """), 400);
        assertProblem(post("/v1/training-jobs", """
                {"model_name": "tr-bad-text", "task": "text-generation", "dataset": {"id": "%s"}}
                """.formatted(nile)), 422);
        assertProblem(post("/v1/training-jobs", """
                {"model_name": "tr-bad-text", "task": "text-generation", "dataset": {"text": "abc"}, "sequence_length": 0}
                """), 400);
        assertProblem(post("/v1/training-jobs", """
                {"model_name": "tr-bad-text", "task": "text-generation", "dataset": {"text": "abcabcabc"}, "window": 4}
                """), 400);
        // The promotion gate compares forecasts: a text model has none to compare.
        assertThat(assertProblem(post("/v1/training-jobs", """
                        {"model_name": "tr-bad-text", "task": "text-generation", "dataset": {"text": "abcabcabc"},
                         "publish": {"promote_if_better": true}}
                        """), 400).toString())
                .contains("publish");
    }

    @Test
    void malformedBodiesAndUnknownJobs() throws Exception {
        assertProblem(post("/v1/training-jobs", "{\"model_name\": "), 400);
        assertProblem(post("/v1/training-jobs", "[1, 2]"), 400);
        assertProblem(send("POST", "/v1/training-jobs", "text/plain", "train please"), 415);
        assertProblem(postWithKey(nileJob("\"epochs\": 1", "\"epochs\": 1"), " "), 400);
        assertProblem(get("/v1/training-jobs/job_000000000000"), 404);
        assertProblem(get("/v1/training-jobs/job_000000000000/events"), 404);
    }
}
