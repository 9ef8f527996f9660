package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Training refuses made-up data: a column whose values are mostly missing, or missing throughout a part of
 * the split, would be filled in and then "learned" and scored on the filling (the reproduction: 179 of 200
 * values missing, all at the end, trained to {@code naive_rmse 0.0}). Such a job is a 422 that queues nothing.
 */
class MissingValuesTest extends TrainingHttpTest {

    private static final String JOB = """
            {"model_name": "tr-made-up", "dataset": %s, "window": 5,
             "architecture": {"hidden_size": 4}, "training": {"epochs": 1}}
            """;

    @Test
    void aColumnWith179Of200ValuesMissingAtTheEndIsRefused() throws Exception {
        StringBuilder csv = new StringBuilder("t,value\n");
        for (int t = 0; t < 200; t++) {
            csv.append(t)
                    .append(',')
                    .append(t < 21 ? String.format(Locale.ROOT, "%.3f", 50 + 10 * Math.sin(t / 3.0)) : "")
                    .append('\n');
        }
        JsonNode dataset = json(send("POST", "/v1/datasets?name=mostly-missing", "text/csv", csv.toString()));
        assertThat(dataset.get("columns").get(1).get("missing").asInt()).isEqualTo(179);

        JsonNode problem =
                refused(JOB.formatted("{\"id\": \"" + dataset.get("id").asString() + "\", \"column\": \"value\"}"));
        assertThat(fields(problem)).containsOnly("dataset.column");
        assertThat(messages(problem))
                .anyMatch(m -> m.contains("179 of 200 values missing"))
                .anyMatch(m -> m.contains("no real values in the validation part"))
                .anyMatch(m -> m.contains("no real values in the test part"));
    }

    @Test
    void inlineValuesMissingThroughoutTheValidationPartAreRefused() throws Exception {
        List<String> values = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
            values.add(t >= 140 && t < 180 ? "null" : String.valueOf(t % 7));
        }
        JsonNode problem = refused(JOB.formatted("{\"values\": " + values + "}"));
        assertThat(fields(problem)).containsOnly("dataset.values");
        assertThat(messages(problem))
                .singleElement()
                .asString()
                .contains("no real values in the validation part (steps 140..179");
    }

    @Test
    void moreMissingThanTheThresholdIsRefusedEvenWhenEveryPartHasSomeValues() throws Exception {
        List<String> values = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
            values.add(t % 5 < 3 ? "null" : String.valueOf(t % 11));
        }
        JsonNode problem = refused(JOB.formatted("{\"values\": " + values + "}"));
        assertThat(messages(problem))
                .singleElement()
                .asString()
                .contains("has 120 of 200 values missing (60.0 %); at most 50 % may be filled in");
    }

    private JsonNode refused(String body) throws Exception {
        int before = json(get("/v1/training-jobs")).get("jobs").size();
        HttpResponse<String> response = post("/v1/training-jobs", body);
        JsonNode problem = assertProblem(response, 422);
        assertThat(json(get("/v1/training-jobs")).get("jobs").size()).isEqualTo(before);
        return problem;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private static List<String> messages(JsonNode problem) {
        List<String> messages = new ArrayList<>();
        problem.get("errors").forEach(e -> messages.add(e.get("message").asString()));
        return messages;
    }
}
