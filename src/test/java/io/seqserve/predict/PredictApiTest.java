package io.seqserve.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import io.seqserve.testing.TestSavedModels;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Generic prediction over real HTTP against real engines and real models. */
class PredictApiTest extends ServerTest {

    /** The V2 server metadata reports the version Maven built, not a literal. */
    @Test
    void serverMetadataCarriesTheBuildVersion() throws Exception {
        Properties build = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/build-info.properties")) {
            assertThat(in)
                    .as("build-info.properties from spring-boot-maven-plugin")
                    .isNotNull();
            build.load(in);
        }
        JsonNode server = json(get("/v2"));
        assertThat(server.path("name").asString()).isEqualTo("seqserve");
        assertThat(server.path("version").asString())
                .isEqualTo(build.getProperty("build.version"))
                .isNotBlank();
    }

    @Test
    void answersTheTfServingRestExampleAsTfServingDoes() throws Exception {
        HttpResponse<String> response = post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
    }

    @Test
    void answersTheColumnarFormWithOutputs() throws Exception {
        HttpResponse<String> response =
                post("/v1/models/half_plus_two/versions/123:predict", "{\"inputs\": {\"x\": [[1.0], [3.0]]}}");
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"outputs\": [[2.5], [3.5]]}"));
    }

    @ParameterizedTest
    @CsvSource({
        "sunspots,sunspots_lstm_w24",
        "sunspots-onnx,sunspots_lstm_w24",
        "seed-rnn,seed_rnn_10x8",
        "seed-rnn-onnx,seed_rnn_10x8"
    })
    void pytorchExportsReproduceTheirRecordedOutputs(String model, String source) throws Exception {
        JsonNode meta =
                JSON.readTree(Files.readString(TestModelRoot.SHARED.resolve("pytorch/" + source + "/meta.json")));
        HttpResponse<String> response =
                post("/v1/models/" + model + ":predict", "{\"instances\": " + meta.get("example_input") + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode predictions = json(response).get("predictions");
        JsonNode expected = meta.get("example_output");
        assertThat(predictions.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(predictions.get(i).get(0).asDouble())
                    .isCloseTo(expected.get(i).get(0).asDouble(), within(1e-4));
        }
    }

    @Test
    void kerasLstmReproducesItsNotebookGoldenValues() throws Exception {
        HttpResponse<String> response = post(
                "/v1/models/msft-lstm:predict",
                "{\"instances\": ["
                        + "[[229.564],[172.563],[301.241],[272.470],[223.162]],"
                        + "[[294.85],[294.23],[292.88],[296.31],[302.75]]]}");
        JsonNode predictions = json(response).get("predictions");
        assertThat(predictions.get(0).get(0).asDouble()).isCloseTo(231.69974, within(0.01));
        assertThat(predictions.get(1).get(0).asDouble()).isCloseTo(299.2193, within(0.01));
    }

    @Test
    void javaBuiltSimpleRnnMatchesItsPlainJavaReference() throws Exception {
        Random random = new Random(7);
        float[][][] input = new float[3][TestSavedModels.RNN_STEPS][TestSavedModels.RNN_FEATURES];
        for (float[][] row : input) {
            for (float[] step : row) {
                for (int f = 0; f < step.length; f++) {
                    step[f] = (float) random.nextGaussian();
                }
            }
        }
        float[] expected = TestSavedModels.simpleRnnReference(TestModelRoot.RNN_SEED, input);
        HttpResponse<String> response =
                post("/v1/models/java-simple-rnn:predict", "{\"instances\": " + JSON.writeValueAsString(input) + "}");
        JsonNode predictions = json(response).get("predictions");
        for (int i = 0; i < expected.length; i++) {
            assertThat(predictions.get(i).get(0).asDouble()).isCloseTo(expected[i], within(1e-4));
        }
    }

    @Test
    void charGruTakesFloatIdsCastFromIntegers() throws Exception {
        HttpResponse<String> response = post("/v1/models/textgen-gru:predict", "{\"inputs\": [[3, 4, 5]]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode probabilities = json(response).get("outputs").get(0).get(2);
        assertThat(probabilities.size()).isEqualTo(39);
        double sum = 0;
        for (JsonNode p : probabilities) {
            sum += p.asDouble();
        }
        assertThat(sum).isCloseTo(1.0, within(1e-3));
    }

    @Test
    void castsIntegerIdsToInt64AndKeepsThemExact() throws Exception {
        HttpResponse<String> response = post(
                "/v2/models/java-known-lm/infer",
                "{\"inputs\": [{\"name\": \"tokens\", \"shape\": [1, 3], \"datatype\": \"INT32\", \"data\": [0, 3, 6]}]}");
        JsonNode logits = json(response).get("outputs").get(0);
        assertThat(logits.get("shape")).isEqualTo(JSON.readTree("[1, 3, " + TestModelRoot.KNOWN_LM_VOCAB + "]"));
        JsonNode data = logits.get("data");
        int[] expectedNext = {1, 4, 0};
        for (int t = 0; t < 3; t++) {
            int best = 0;
            for (int v = 1; v < TestModelRoot.KNOWN_LM_VOCAB; v++) {
                if (data.get(t * TestModelRoot.KNOWN_LM_VOCAB + v).asDouble()
                        > data.get(t * TestModelRoot.KNOWN_LM_VOCAB + best).asDouble()) {
                    best = v;
                }
            }
            assertThat(best).isEqualTo(expectedNext[t]);
        }
    }

    @Test
    void servesTheOpenInferenceProtocol() throws Exception {
        HttpResponse<String> response = post(
                "/v2/models/java-half-plus-two/infer",
                "{\"id\": \"r1\", \"inputs\": [{\"name\": \"x\", \"shape\": [3, 1], \"datatype\": \"FP32\", \"data\": [1, 2, 5]}]}");
        JsonNode body = json(response);
        assertThat(body.get("model_name").asString()).isEqualTo("java-half-plus-two");
        assertThat(body.get("id").asString()).isEqualTo("r1");
        JsonNode output = body.get("outputs").get(0);
        assertThat(output.get("name").asString()).isEqualTo("y");
        assertThat(output.get("shape")).isEqualTo(JSON.readTree("[3, 1]"));
        assertThat(output.get("data")).isEqualTo(JSON.readTree("[2.5, 3.0, 4.5]"));

        JsonNode metadata = json(get("/v2/models/sunspots-onnx"));
        assertThat(metadata.get("platform").asString()).isEqualTo("onnxruntime_onnx");
        assertThat(metadata.get("inputs").get(0).get("datatype").asString()).isEqualTo("FP32");
        assertThat(get("/v2/models/sunspots/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/corrupt/ready").statusCode()).isEqualTo(503);
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void describesSignaturesWithNamesDtypesAndShapes() throws Exception {
        JsonNode model = json(get("/v1/models/msft-lstm"));
        assertThat(model.get("state").asString()).isEqualTo("available");
        assertThat(model.get("format").asString()).isEqualTo("savedmodel");
        assertThat(model.get("inputs"))
                .isEqualTo(JSON.readTree("[{\"name\":\"input_6\",\"dtype\":\"float32\",\"shape\":[-1,5,1]}]"));
        assertThat(model.get("outputs"))
                .isEqualTo(JSON.readTree("[{\"name\":\"dense_17\",\"dtype\":\"float32\",\"shape\":[-1,1]}]"));
        JsonNode list = json(get("/v1/models"));
        assertThat(list.get("models").findValuesAsString("name")).contains("half_plus_two", "sunspots", "corrupt");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "half-plus-two-tf2|asset_path_initializer",
                "no-serving-default|serving_default",
                "corrupt|cannot be parsed",
                "missing-variables|variables.index"
            })
    void brokenVersionsFailAtLoadWithTheirReasonAndAlone(String model, String reason) throws Exception {
        JsonNode version = json(get("/v1/models/" + model));
        assertThat(version.get("state").asString()).isEqualTo("failed");
        assertThat(version.get("error").asString()).contains(reason);
        JsonNode problem = assertProblem(post("/v1/models/" + model + ":predict", "{\"instances\": [[1.0]]}"), 422);
        assertThat(problem.get("detail").asString()).contains(reason);
        assertThat(post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0]}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void batchesConcurrentRequestsOfTheSameShape() throws Exception {
        String countSeries =
                "seqserve_batch_size_count{application=\"seqserve\",device=\"cpu()\",model=\"batched-sunspots\",version=\"1\"}";
        String sumSeries =
                "seqserve_batch_size_sum{application=\"seqserve\",device=\"cpu()\",model=\"batched-sunspots\",version=\"1\"}";
        String before = get("/actuator/prometheus").body(); // the start-up's HTTP warm-up has sent some already
        String body = "{\"instances\": [[" + "[0.1],".repeat(23) + "[0.1]]]}";
        var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 8; i++) {
            futures.add(HTTP.sendAsync(
                    java.net.http.HttpRequest.newBuilder(uri("/v1/models/batched-sunspots:predict"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : futures) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        String metrics = get("/actuator/prometheus").body();
        double count = metric(metrics, countSeries) - metric(before, countSeries);
        double sum = metric(metrics, sumSeries) - metric(before, sumSeries);
        assertThat(sum).isEqualTo(8.0);
        assertThat(count).as("8 requests ran in fewer forward passes").isLessThan(8.0);
    }

    static double metric(String exposition, String series) {
        return exposition
                .lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series));
    }
}
