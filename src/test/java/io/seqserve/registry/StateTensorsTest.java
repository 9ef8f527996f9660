package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.StatefulModels;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * State tensors as first-class inputs, with PyTorch's stateful exports (state {@code [1, batch, 32]}, batch on
 * axis 1): they load (the ONNX export used to fail its warm-up, which filled the state's batch axis as if it
 * were a time axis), reproduce PyTorch's recorded outputs, and requests with their own states are stacked along
 * the state's batch axis and split back along it.
 */
class StateTensorsTest extends ServerTest {

    private static boolean published;

    @BeforeEach
    void models() throws Exception {
        synchronized (StateTensorsTest.class) {
            if (!published) {
                published = true;
                StatefulModels.gruOnnx("st-gru-onnx", 1, "");
                StatefulModels.gruOnnx("st-gru-onnx-declared", 1, StatefulModels.GRU_STATE);
                StatefulModels.gruTorchScript("st-gru-ts", 1, StatefulModels.GRU_SIGNATURE + StatefulModels.GRU_STATE);
                StatefulModels.gruTorchScript(
                        "st-gru-ts-batched",
                        1,
                        StatefulModels.GRU_SIGNATURE + StatefulModels.GRU_STATE
                                + "batching: {max_batch_size: 16, max_delay_ms: 300}\n");
                StatefulModels.gruTorchScript(
                        "st-gru-ts-wrong-axis",
                        1,
                        StatefulModels.GRU_SIGNATURE + "state: {inputs: [h0], outputs: [hN], batch_axis: 0}\n");
                StatefulModels.charGru("st-char-onnx", 1, true);
                StatefulModels.charGru("st-char-ts", 1, false);
            }
        }
        for (String name : List.of(
                "st-gru-onnx",
                "st-gru-onnx-declared",
                "st-gru-ts",
                "st-gru-ts-batched",
                "st-char-onnx",
                "st-char-ts")) {
            awaitState(name, "available");
        }
        awaitState("st-gru-ts-wrong-axis", "failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"st-gru-onnx", "st-gru-onnx-declared", "st-gru-ts"})
    void theStateTensorsBatchOnAxisOneAndBatchingStaysOn(String model) throws Exception {
        JsonNode view = json(get("/v1/models/" + model));
        assertThat(view.path("warnings").toString()).doesNotContain("batching disabled");
        assertThat(view.at("/inputs/1/name").asString()).isEqualTo("h0");
        assertThat(view.at("/inputs/1/batch_axis").asInt()).isEqualTo(1);
        assertThat(view.at("/outputs/1/batch_axis").asInt()).isEqualTo(1);
        assertThat(view.at("/inputs/0/batch_axis").isMissingNode()).isTrue();
        assertThat(view.at("/workers/0/max_batch_size").asInt()).isGreaterThan(1);
        boolean declared = !model.equals("st-gru-onnx");
        assertThat(view.at("/inputs/1/state").asBoolean()).isEqualTo(declared);
    }

    @ParameterizedTest
    @ValueSource(strings = {"st-gru-onnx", "st-gru-ts"})
    void bothRecordedExamplesInOnePassReproducePyTorch(String model) throws Exception {
        JsonNode meta = StatefulModels.GRU_META;
        float[] input = flat(meta.get("example_input"));
        JsonNode answer = infer(model, input, 2, new float[2 * 32]);
        float[] output = floats(answer, "output");
        float[] state = floats(answer, "hN");
        float[] expectedOut = flat(meta.get("example_output"));
        float[] expectedState = flat(meta.get("example_state_out"));
        for (int i = 0; i < expectedOut.length; i++) {
            assertThat(output[i]).isCloseTo(expectedOut[i], within(1e-4f));
        }
        for (int i = 0; i < expectedState.length; i++) {
            assertThat(state[i]).isCloseTo(expectedState[i], within(1e-4f));
        }
        assertThat(outputShape(answer, "hN")).containsExactly(1, 2, 32);
    }

    /**
     * Concurrent one-row requests, each with its own state, wait up to 300 ms for company: they share passes,
     * stacked on the state's axis 1, and each gets exactly what it gets alone.
     */
    @Test
    void concurrentRequestsWithTheirOwnStatesShareAPassAndGetTheirOwnRows() throws Exception {
        float[] examples = flat(StatefulModels.GRU_META.get("example_input"));
        int n = 12;
        List<float[]> inputs = new ArrayList<>();
        List<float[]> states = new ArrayList<>();
        List<JsonNode> alone = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] in = new float[24];
            System.arraycopy(examples, (k % 2) * 24, in, 0, 24);
            float[] h = new float[32];
            for (int j = 0; j < 32; j++) {
                h[j] = (float) Math.sin(k * 0.7 + j * 0.3) * 0.5f;
            }
            inputs.add(in);
            states.add(h);
            alone.add(infer("st-gru-ts", in, 1, h));
        }
        double countBefore = metric("seqserve_batch_size_count", "model=\"st-gru-ts-batched\"");
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            pending.add(HTTP.sendAsync(
                    java.net.http.HttpRequest.newBuilder(uri("/v2/models/st-gru-ts-batched/infer"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    inferBody(inputs.get(k), 1, states.get(k))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int k = 0; k < n; k++) {
            HttpResponse<String> r = pending.get(k).get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode together = json(r);
            assertThat(floats(together, "output")[0]).isCloseTo(floats(alone.get(k), "output")[0], within(1e-5f));
            float[] h = floats(together, "hN");
            float[] expected = floats(alone.get(k), "hN");
            for (int j = 0; j < 32; j++) {
                assertThat(h[j]).as("state %d[%d]", k, j).isCloseTo(expected[j], within(1e-5f));
            }
        }
        double passes = metric("seqserve_batch_size_count", "model=\"st-gru-ts-batched\"") - countBefore;
        assertThat(passes).as("12 requests in fewer passes").isLessThan(n);
    }

    @Test
    void aStateBlockNamingTheWrongBatchAxisFailsTheLoadWithTheReason() throws Exception {
        JsonNode view = json(get("/v1/models/st-gru-ts-wrong-axis/versions/1"));
        assertThat(view.get("error").asString()).containsAnyOf("batch", "shape");
    }

    @ParameterizedTest
    @ValueSource(strings = {"st-char-onnx", "st-char-ts"})
    void theCharGruGeneratesPyTorchsGreedyTextCarryingItsState(String model) throws Exception {
        JsonNode meta = StatefulModels.CHAR_META;
        HttpResponse<String> r = post(
                "/v1/models/" + model + ":generate",
                JSON.writeValueAsString(
                        Map.of("prompt", meta.get("greedy_prompt").asString(), "max_tokens", 80, "temperature", 0)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("text").asString())
                .isEqualTo(meta.get("greedy_80").asString());
    }

    private JsonNode infer(String model, float[] input, int batch, float[] state) throws Exception {
        HttpResponse<String> r = post("/v2/models/" + model + "/infer", inferBody(input, batch, state));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static String inferBody(float[] input, int batch, float[] state) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", "input");
        in.put("shape", List.of(batch, input.length / batch, 1));
        in.put("datatype", "FP32");
        in.put("data", input);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("name", "h0");
        h.put("shape", List.of(1, batch, 32));
        h.put("datatype", "FP32");
        h.put("data", state);
        return JSON.writeValueAsString(Map.of("inputs", List.of(in, h)));
    }

    private static float[] floats(JsonNode answer, String name) {
        for (JsonNode out : answer.get("outputs")) {
            if (out.get("name").asString().equals(name)) {
                return flat(out.get("data"));
            }
        }
        throw new AssertionError("no output " + name + " in " + answer);
    }

    private static List<Integer> outputShape(JsonNode answer, String name) {
        for (JsonNode out : answer.get("outputs")) {
            if (out.get("name").asString().equals(name)) {
                List<Integer> shape = new ArrayList<>();
                out.get("shape").forEach(d -> shape.add(d.asInt()));
                return shape;
            }
        }
        throw new AssertionError("no output " + name);
    }

    private static float[] flat(JsonNode nested) {
        List<Float> values = new ArrayList<>();
        collect(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> into) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, into));
        } else {
            into.add((float) node.asDouble());
        }
    }

    private void awaitState(String name, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            HttpResponse<String> r = get("/v1/models/" + name + "/versions/1");
            if (r.statusCode() == 200 && json(r).get("state").asString().equals(state)) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("%s %s in time: %s", name, state, r.body())
                    .isLessThan(until);
            Thread.sleep(100);
        }
    }

    private double metric(String name, String labels) throws Exception {
        double total = 0;
        for (String line : get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labels)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
