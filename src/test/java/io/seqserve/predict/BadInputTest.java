package io.seqserve.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed or unusable request is a 4xx problem+json and changes nothing on disk; none is a 500
 * and none reaches the engine (a wrong input name would crash the JVM inside TensorFlow).
 */
class BadInputTest extends ServerTest {

    private List<String> before;

    @BeforeEach
    void snapshot() {
        before = tree();
    }

    @AfterEach
    void nothingChangedOnDisk() {
        assertThat(tree()).isEqualTo(before);
    }

    /** status | kind | field in errors ({@code -}: none) | model | body. */
    @ParameterizedTest(name = "{0} {2}: {4}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "400|invalid|-|half_plus_two|`{\"instances\": [1.0, 2.0`",
                "400|invalid|-|half_plus_two|`{\"instances\": [1.0, NaN]}`",
                "400|invalid|-|half_plus_two|`{\"instances\": [1.0, Infinity]}`",
                "400|invalid|instances.x|half_plus_two|`{\"instances\": [1e999]}`",
                "400|invalid|instances.x|half_plus_two|`{\"instances\": [\"one\"]}`",
                "400|invalid|instances.x|half_plus_two|`{\"instances\": [true]}`",
                "400|invalid|instances.x|half_plus_two|`{\"instances\": [null]}`",
                "400|invalid|instances|half_plus_two|`{\"instances\": []}`",
                "400|invalid|instances.x|half_plus_two|`{\"instances\": [[1.0], [2.0, 3.0]]}`",
                "400|invalid|-|half_plus_two|`{\"instances\": [1.0], \"inputs\": [1.0]}`",
                "400|invalid|-|half_plus_two|`{}`",
                "400|invalid|body|half_plus_two|`[]`",
                "400|invalid|extra|half_plus_two|`{\"instances\": [1.0], \"extra\": 1}`",
                "400|invalid|signature_name|half_plus_two|`{\"instances\": [1.0], \"signature_name\": \"other\"}`",
                "400|invalid|signature_name|half_plus_two|`{\"instances\": [1.0], \"signature_name\": 5}`",
                "400|invalid|-|half_plus_two|`{\"instances\": [1.0], \"instances\": [2.0]}`",
                "400|invalid|instances[0]|msft-lstm|`{\"instances\": [{\"wrong_name\": [[1],[2],[3],[4],[5]]}]}`",
                "400|invalid|inputs|msft-lstm|`{\"inputs\": {\"input_6\": [[[1],[2],[3],[4],[5]]], \"extra\": [1]}}`",
                "400|invalid|inputs|java-simple-rnn|`{\"inputs\": {\"nope\": [[1]]}}`",
                "422|input-mismatch|instances.input_6|msft-lstm|`{\"instances\": [[[1],[2],[3],[4]]]}`",
                "422|input-mismatch|instances.input_6|msft-lstm|`{\"instances\": [[1, 2, 3, 4, 5, 6]]}`",
                "422|unprocessable|instances.input_6|msft-lstm|`{\"instances\": [[[[1]],[[2]],[[3]],[[4]],[[5]]]]}`",
                "422|unprocessable|instances.input|sunspots|`{\"instances\": [[[1.0]]]}`",
                "422|unprocessable|instances.input|sunspots-onnx|`{\"instances\": [[[1.0, 2.0]]]}`",
                "400|invalid|instances.input|sunspots|`{\"instances\": [[[3.5e39]]]}`",
                "400|invalid|inputs|java-known-lm|`{\"inputs\": [[1.5, 2]]}`",
                "400|invalid|inputs|java-known-lm|`{\"inputs\": [[1e300, 2]]}`",
                "404|not-found|-|no-such-model|`{\"instances\": [1.0]}`",
                "422|unprocessable|-|corrupt|`{\"instances\": [1.0]}`"
            })
    void tfServingPredictRejects(int status, String kind, String field, String model, String body) throws Exception {
        assertProblem(post("/v1/models/" + model + ":predict", body), status, kind, field.equals("-") ? null : field);
    }

    /** status | kind | field in errors | body, against a model that takes {@code x} FP32 [-1, 1]. */
    @ParameterizedTest(name = "{0} {2}: {3}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "400|invalid|inputs|`{\"inputs\": []}`",
                "400|invalid|inputs[0].name|`{\"inputs\": [{\"name\": \"y\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1]}]}`",
                "400|invalid|inputs[0].data|`{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [1]}]}`",
                "400|invalid|inputs[0].datatype|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"STRING\", \"data\": [1]}]}`",
                "400|invalid|inputs[0].shape[0]|`{\"inputs\": [{\"name\": \"x\", \"shape\": [0, 1], \"datatype\": \"FP32\", \"data\": []}]}`",
                "400|invalid|inputs[0].data|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": \"1\"}]}`",
                "400|invalid|outputs|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1]}], \"outputs\": [{\"name\": \"z\"}]}`",
                "400|invalid|inputs[0].data|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"INT64\", \"data\": [1.5]}]}`",
                "400|invalid|inputs[0].data|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"BOOL\", \"data\": [1]}]}`",
                "400|invalid|inputs[0].shape[1]|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1.5], \"datatype\": \"FP32\", \"data\": [1]}]}`",
                "400|invalid|inputs[0].shape|`{\"inputs\": [{\"name\": \"x\", \"shape\": \"1\", \"datatype\": \"FP32\", \"data\": [1]}]}`",
                "400|invalid|inputs[0].extra|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1], \"extra\": 1}]}`",
                "400|invalid|id|`{\"id\": 5, \"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1]}]}`",
                "422|unprocessable|inputs.x|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}`"
            })
    void v2InferRejects(int status, String kind, String field, String body) throws Exception {
        assertProblem(post("/v2/models/java-half-plus-two/infer", body), status, kind, field);
    }

    @Test
    void httpLevelMistakesAreProblemsToo() throws Exception {
        assertProblem(get("/no/such/path"), 404);
        assertProblem(send("DELETE", "/v2/health/live", null, null), 405);
        assertProblem(send("POST", "/v1/models/half_plus_two:predict", "text/plain", "{\"instances\": [1.0]}"), 415);
        assertProblem(get("/v1/models/half_plus_two/versions/abc"), 400);
        assertProblem(get("/v1/models/half_plus_two/versions/7"), 404);
        assertProblem(get("/v1/models/half_plus_two/labels/canary"), 404);
        assertProblem(post("/v1/models/half_plus_two/versions/0:predict", "{\"instances\": [1.0]}"), 400);
        assertProblem(send("POST", "/v1/models/half_plus_two:predict", null, null), 415);
    }

    @Test
    void aHugeBodyIsRefusedWith413() throws Exception {
        String huge = "{\"instances\": [" + "1.0,".repeat(5_000_000) + "1.0]}";
        assertProblem(post("/v1/models/half_plus_two:predict", huge), 413);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "600001", "-5", "soon"})
    void aTimeoutHeaderOutOfRangeIsRefused(String value) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(uri("/v1/models/half_plus_two:predict"))
                .header("Content-Type", "application/json")
                .header("Request-Timeout-Ms", value)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"instances\": [1.0]}"))
                .build();
        assertProblem(
                HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()),
                400,
                "invalid",
                "Request-Timeout-Ms");
    }

    /**
     * The baseline models (immutable for every test), and whether a model directory exists for each name
     * this test sends to that is not one of them: a refused request must not create one.
     */
    private static List<String> tree() {
        List<String> tree = new ArrayList<>(TestModelRoot.baselineTree());
        tree.add("no-such-model:" + Files.exists(TestModelRoot.get().resolve("no-such-model")));
        return tree;
    }
}
