package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.seqserve.testing.TestModelRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real Keras char models of shared-models (ids fed as float, probabilities out): the server's greedy
 * text equals a greedy decode run directly through DJL, and the one recorded in greedy.json; the same
 * GRU re-exported with a state signature produces the same text one token per step; seeded sampling
 * repeats and streams what it answers.
 */
class KerasGenerationTest extends GenerationServerTest {

    private static final String KERAS_MANIFEST = "  level: char\n  lowercase: true\n  vocabulary_file: vocab.json\n";
    private static final String PROMPT = "To be or not to b";

    @BeforeEach
    void models() throws Exception {
        model("gen-homl", dir -> {
            copy("textgen_char_gru_homl", dir);
            manifest(dir, KERAS_MANIFEST + "  output: probabilities\n");
        });
        // No 'output': the probabilities are recognised from the rows summing to 1.
        model("gen-convgru", dir -> {
            copy("textgen_char_convgru", dir);
            manifest(dir, KERAS_MANIFEST);
        });
        model("gen-homl-stateful", dir -> {
            GenerationTestModels.statefulKerasGru(
                    TestModelRoot.SHARED.resolve("savedmodels/textgen_char_gru_homl"), dir);
            Files.copy(
                    TestModelRoot.SHARED.resolve("savedmodels/textgen_char_gru_homl/vocab.json"),
                    dir.resolve("vocab.json"));
            manifest(
                    dir,
                    KERAS_MANIFEST + "  output: probabilities\n  state: {inputs: [state], outputs: [new_state]}\n");
        });
    }

    @Test
    void greedyTextEqualsAGreedyDecodeThroughDjl() throws Exception {
        int tokens = 60;
        JsonNode body = json(generate(
                "gen-homl", "{\"prompt\": " + quote(PROMPT) + ", \"max_tokens\": " + tokens + ", \"temperature\": 0}"));

        assertThat(body.get("text").asString())
                .isEqualTo(djlGreedy(TestModelRoot.get().resolve("gen-homl/1"), PROMPT, tokens));
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(PROMPT.length());
    }

    @Test
    void theConvGruReproducesItsRecordedGreedyContinuation() throws Exception {
        JsonNode recorded = JSON.readTree(TestModelRoot.SHARED
                .resolve("savedmodels/textgen_char_convgru/greedy.json")
                .toFile());
        String request = "{\"prompt\": " + quote(recorded.get("prompt").asString()) + ", \"max_tokens\": "
                + recorded.get("max_tokens").asInt() + ", \"temperature\": 0}";

        assertThat(json(generate("gen-convgru", request)).get("text").asString())
                .isEqualTo(recorded.get("greedy_continuation").asString());
    }

    @Test
    void theStatefulExportOfTheGruWritesTheSameTextInOnePassPerToken() throws Exception {
        int tokens = 60;
        String request = "{\"prompt\": " + quote(PROMPT) + ", \"max_tokens\": " + tokens + ", \"temperature\": 0}";
        String wholeWindow = json(generate("gen-homl", request)).get("text").asString();
        double before = counter("seqserve_generation_forward_passes_total", "gen-homl-stateful", null);

        JsonNode stateful = json(generate("gen-homl-stateful", request));

        assertThat(stateful.get("text").asString()).isEqualTo(wholeWindow);
        assertThat(counter("seqserve_generation_forward_passes_total", "gen-homl-stateful", null) - before)
                .isEqualTo(PROMPT.length() + tokens - 1);
    }

    @Test
    void concurrentPromptsOfDifferentLengthsGetTheirOwnGreedyText() throws Exception {
        String[] prompts = {"To be or not to b", "Romeo, Romeo", "First Citizen:\nBefore we proceed", "king"};
        String[] alone = new String[prompts.length];
        for (int i = 0; i < prompts.length; i++) {
            alone[i] = json(generate("gen-homl", greedy(prompts[i], 40)))
                    .get("text")
                    .asString();
        }
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> together = new ArrayList<>();
        for (String prompt : prompts) {
            together.add(HTTP.sendAsync(
                    java.net.http.HttpRequest.newBuilder(uri("/v1/models/gen-homl:generate"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(greedy(prompt, 40)))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < prompts.length; i++) {
            assertThat(json(together.get(i).get()).get("text").asString())
                    .as(prompts[i])
                    .isEqualTo(alone[i]);
        }
    }

    private static String greedy(String prompt, int tokens) {
        return "{\"prompt\": " + quote(prompt) + ", \"max_tokens\": " + tokens + ", \"temperature\": 0}";
    }

    @Test
    void seededSamplingRepeatsAndStreamsWhatItAnswers() throws Exception {
        String request =
                "{\"prompt\": \"romeo: \", \"max_tokens\": 40, \"temperature\": 0.9, \"top_k\": 20, \"top_p\": 0.95,"
                        + " \"repetition_penalty\": 1.1, \"seed\": %d%s}";
        String first = json(generate("gen-homl", request.formatted(11, "")))
                .get("text")
                .asString();

        assertThat(json(generate("gen-homl", request.formatted(11, "")))
                        .get("text")
                        .asString())
                .isEqualTo(first);
        Sse streamed = stream("/v1/models/gen-homl:generate", request.formatted(11, ", \"stream\": true"));
        assertThat(streamed.tokens()).isEqualTo(first);
        Set<String> others = new HashSet<>();
        for (int seed = 12; seed < 15; seed++) {
            others.add(json(generate("gen-homl", request.formatted(seed, "")))
                    .get("text")
                    .asString());
        }
        others.add(first);
        assertThat(others).hasSizeGreaterThan(1);
    }

    /** Greedy decoding done the plain way: feed the whole lower-cased text as float ids, argmax the last step. */
    private static String djlGreedy(Path modelDir, String prompt, int tokens) throws Exception {
        List<String> vocab = new ArrayList<>();
        JSON.readTree(modelDir.resolve("vocab.json").toFile()).get("vocab").forEach(t -> vocab.add(t.asString()));
        List<Float> ids = new ArrayList<>();
        prompt.toLowerCase(Locale.ROOT).chars().forEach(c -> ids.add((float) vocab.indexOf(String.valueOf((char) c))));
        StringBuilder out = new StringBuilder();
        try (ZooModel<NDList, NDList> model = Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(modelDir)
                        .optEngine("TensorFlow")
                        .optTranslator(new NoopTranslator())
                        .build()
                        .loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            for (int step = 0; step < tokens; step++) {
                float[] input = new float[ids.size()];
                for (int i = 0; i < input.length; i++) {
                    input[i] = ids.get(i);
                }
                NDArray x = manager.create(input, new Shape(1, input.length));
                x.setName("embedding_2_input");
                float[] probabilities =
                        predictor.predict(new NDList(x)).singletonOrThrow().toFloatArray();
                int best = 0;
                int base = (input.length - 1) * vocab.size();
                for (int v = 1; v < vocab.size(); v++) {
                    if (probabilities[base + v] > probabilities[base + best]) {
                        best = v;
                    }
                }
                ids.add((float) best);
                out.append(vocab.get(best));
            }
        }
        return out.toString();
    }
}
