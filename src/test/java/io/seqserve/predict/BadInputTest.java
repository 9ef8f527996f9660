package io.seqserve.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every malformed or unusable request is a 4xx problem+json and changes nothing on disk; none is a 500
 * and none reaches the engine (a wrong input name would crash the JVM inside TensorFlow).
 */
class BadInputTest extends ServerTest {

    private List<String> before;

    @BeforeEach
    void snapshot() throws IOException {
        before = tree();
    }

    @AfterEach
    void nothingChangedOnDisk() throws IOException {
        assertThat(tree()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "400|half_plus_two|`{\"instances\": [1.0, 2.0`",
            "400|half_plus_two|`{\"instances\": [1.0, NaN]}`",
            "400|half_plus_two|`{\"instances\": [1.0, Infinity]}`",
            "400|half_plus_two|`{\"instances\": [1e999]}`",
            "400|half_plus_two|`{\"instances\": [\"one\"]}`",
            "400|half_plus_two|`{\"instances\": [true]}`",
            "400|half_plus_two|`{\"instances\": [null]}`",
            "400|half_plus_two|`{\"instances\": []}`",
            "400|half_plus_two|`{\"instances\": [[1.0], [2.0, 3.0]]}`",
            "400|half_plus_two|`{\"instances\": [1.0], \"inputs\": [1.0]}`",
            "400|half_plus_two|`{}`",
            "400|half_plus_two|`[]`",
            "400|half_plus_two|`{\"instances\": [1.0], \"extra\": 1}`",
            "400|half_plus_two|`{\"instances\": [1.0], \"signature_name\": \"other\"}`",
            "400|msft-lstm|`{\"instances\": [{\"wrong_name\": [[1],[2],[3],[4],[5]]}]}`",
            "400|msft-lstm|`{\"inputs\": {\"input_6\": [[[1],[2],[3],[4],[5]]], \"extra\": [1]}}`",
            "400|java-simple-rnn|`{\"inputs\": {\"nope\": [[1]]}}`",
            "422|msft-lstm|`{\"instances\": [[[1],[2],[3],[4]]]}`",
            "422|msft-lstm|`{\"instances\": [[1, 2, 3, 4, 5, 6]]}`",
            "422|msft-lstm|`{\"instances\": [[[[1]],[[2]],[[3]],[[4]],[[5]]]]}`",
            "422|sunspots|`{\"instances\": [[[1.0]]]}`",
            "422|sunspots-onnx|`{\"instances\": [[[1.0, 2.0]]]}`",
            "400|sunspots|`{\"instances\": [[[3.5e39]]]}`",
            "400|java-known-lm|`{\"inputs\": [[1.5, 2]]}`",
            "400|java-known-lm|`{\"inputs\": [[1e300, 2]]}`",
            "404|no-such-model|`{\"instances\": [1.0]}`",
            "422|corrupt|`{\"instances\": [1.0]}`"})
    void tfServingPredictRejects(int status, String model, String body) throws Exception {
        assertProblem(post("/v1/models/" + model + ":predict", body), status);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "400|`{\"inputs\": []}`",
            "400|`{\"inputs\": [{\"name\": \"y\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1]}]}`",
            "400|`{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [1]}]}`",
            "400|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"STRING\", \"data\": [1]}]}`",
            "400|`{\"inputs\": [{\"name\": \"x\", \"shape\": [0, 1], \"datatype\": \"FP32\", \"data\": []}]}`",
            "400|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": \"1\"}]}`",
            "400|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1]}], \"outputs\": [{\"name\": \"z\"}]}`",
            "422|`{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}`"})
    void v2InferRejects(int status, String body) throws Exception {
        assertProblem(post("/v2/models/java-half-plus-two/infer", body), status);
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

    @Test
    void aTimeoutHeaderOutOfRangeIsRefused() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(uri("/v1/models/half_plus_two:predict"))
                .header("Content-Type", "application/json").header("Request-Timeout-Ms", "0")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"instances\": [1.0]}")).build();
        assertProblem(HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()), 400);
    }

    private static List<String> tree() throws IOException {
        Path root = TestModelRoot.get();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.toString().contains(".staging") && !p.toString().contains("/reg-")
                            && !p.toString().contains("/incoming") && !p.toString().contains("/swap-"))
                    .map(p -> root.relativize(p) + ":" + size(p)).sorted().toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -2;
        }
    }
}
