package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.TestModelRoot;
import io.seqserve.testing.TestSavedModels;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Every request {@code :generate} refuses, and every unusable text_generation manifest, answers a 4xx
 * problem. Manifest problems are found when a generation asks for the model (the registry loads the
 * model without knowing text_generation), so such a version is available to {@code :predict} and 422 here.
 */
class GenerationBadInputTest extends GenerationServerTest {

    private static final String VOCAB_LINE = "  vocabulary: " + VOCAB_YAML + "\n";

    @BeforeEach
    void models() throws Exception {
        knownModel("gen-known", "  level: char\n  output: logits\n" + VOCAB_LINE);
        knownModel("gen-bad-empty-vocab", "  vocabulary: []\n");
        knownModel("gen-bad-vocab-size", "  vocabulary: [a, b, c, d, e]\n");
        knownModel("gen-bad-escaping-file", "  vocabulary_file: ../../gen-outside-vocab.txt\n");
        Files.writeString(TestModelRoot.get().resolve("gen-outside-vocab.txt"), String.join("\n", VOCAB));
        model("gen-bad-linked-file", dir -> {
            TestSavedModels.knownAnswerLanguageModel(dir, VOCAB.size());
            Files.createSymbolicLink(
                    dir.resolve("vocab.txt"), TestModelRoot.get().resolve("gen-outside-vocab.txt"));
            manifest(dir, "  vocabulary_file: vocab.txt\n");
        });
        knownModel("gen-bad-unknown-key", "  vocab: [a]\n");
        knownModel("gen-bad-level", "  level: sentence\n" + VOCAB_LINE);
        knownModel("gen-bad-output", "  output: scores\n" + VOCAB_LINE);
        knownModel("gen-bad-pad", "  pad_token: z\n" + VOCAB_LINE);
        knownModel("gen-bad-state", "  state: {inputs: [h], outputs: [h_out]}\n" + VOCAB_LINE);
        model("gen-bad-no-block", dir -> {
            TestSavedModels.knownAnswerLanguageModel(dir, VOCAB.size());
            Files.writeString(dir.resolve("seqserve.yaml"), "task: text-generation\n");
        });
    }

    /** body | field in errors ({@code -}: none). */
    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "`{\"prompt\": \"a\", \"max_tokens\": 0}`|max_tokens",
                "`{\"prompt\": \"a\", \"max_tokens\": -3}`|max_tokens",
                "`{\"prompt\": \"a\", \"max_tokens\": 4097}`|max_tokens",
                "`{\"prompt\": \"a\", \"max_tokens\": 2.5}`|max_tokens",
                "`{\"prompt\": \"a\", \"max_tokens\": \"10\"}`|max_tokens",
                "`{\"prompt\": \"a\", \"max_tokens\": 99999999999}`|max_tokens",
                "`{\"prompt\": \"a\", \"temperature\": -0.1}`|temperature",
                "`{\"prompt\": \"a\", \"temperature\": 1e999}`|temperature",
                "`{\"prompt\": \"a\", \"top_p\": 0}`|top_p",
                "`{\"prompt\": \"a\", \"top_p\": 1.01}`|top_p",
                "`{\"prompt\": \"a\", \"top_k\": -1}`|top_k",
                "`{\"prompt\": \"a\", \"repetition_penalty\": 0}`|repetition_penalty",
                "`{\"prompt\": \"a\", \"stop\": 5}`|stop",
                "`{\"prompt\": \"a\", \"stop\": [\"\"]}`|stop[0]",
                "`{\"prompt\": \"a\", \"stop\": [\"a\", 1]}`|stop[1]",
                "`{\"prompt\": \"a\", \"seed\": \"x\"}`|seed",
                "`{\"prompt\": \"a\", \"stream\": \"yes\"}`|stream",
                "`{\"prompt\": \"a\", \"stream\": 1}`|stream",
                "`{\"prompt\": \"a\", \"max_token\": 5}`|max_token",
                "`{\"max_tokens\": 5}`|prompt",
                "`{\"prompt\": 42}`|prompt",
                "`{\"prompt\": \"a\", \"prompt\": \"b\"}`|-",
                "`[\"a\"]`|body",
                "`{\"prompt\": `|-",
            })
    void badSamplingParametersAre400(String body, String field) throws Exception {
        assertProblem(generate("gen-known", body), 400, "invalid", field.equals("-") ? null : field);
    }

    @Test
    void aPromptOverTheConfiguredLengthIs400() throws Exception {
        assertProblem(generate("gen-known", "{\"prompt\": \"" + "a".repeat(8193) + "\"}"), 400, "invalid", "prompt");
    }

    @Test
    void aBadTimeoutHeaderIs400() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/v1/models/gen-known:generate"))
                        .header("Content-Type", "application/json")
                        .header("Request-Timeout-Ms", "0")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(r, 400, "invalid", "Request-Timeout-Ms");
    }

    @Test
    void promptTextOutsideTheVocabularyIs422() throws Exception {
        JsonNode problem =
                assertProblem(generate("gen-known", "{\"prompt\": \"abz\\u0007\"}"), 422, "unknown-token", "prompt");
        assertThat(problem.get("detail").asString()).contains("'z'").contains("'\\u0007'");
        assertProblem(generate("gen-known", "{\"prompt\": \"Z\", \"stream\": true}"), 422);
    }

    @Test
    void unknownModelsAre404AndModelsThatCannotGenerateAre422() throws Exception {
        assertProblem(generate("no-such-model", "{\"prompt\": \"a\"}"), 404);
        assertProblem(post("/v1/models/gen-known/versions/9:generate", "{\"prompt\": \"a\"}"), 404);
        assertProblem(post("/v1/models/gen-known/labels/nope:generate", "{\"prompt\": \"a\"}"), 404);
        JsonNode generic = assertProblem(generate("java-half-plus-two", "{\"prompt\": \"a\"}"), 422);
        assertThat(generic.get("detail").asString()).contains("text-generation");
        assertProblem(generate("corrupt", "{\"prompt\": \"a\"}"), 422);
    }

    @Test
    void unusableTextGenerationManifestsFailAtLoadAndAnswer422() throws Exception {
        String[][] cases = {
            {"gen-bad-empty-vocab", "vocabulary is empty"},
            {"gen-bad-vocab-size", "scores 7 tokens but the vocabulary has 5"},
            {"gen-bad-escaping-file", "inside the version directory"},
            {"gen-bad-linked-file", "inside the version directory"},
            {"gen-bad-unknown-key", "vocab"},
            {"gen-bad-level", "char or word"},
            {"gen-bad-output", "logits or probabilities"},
            {"gen-bad-pad", "pad_token"},
            {"gen-bad-state", "'h'"},
            {"gen-bad-no-block", "no text_generation block"},
        };
        for (String[] c : cases) {
            JsonNode version = json(get("/v1/models/" + c[0] + "/versions/1"));
            assertThat(version.get("state").asString()).as(c[0]).isEqualTo("failed");
            assertThat(version.get("error").asString()).as(c[0]).contains(c[1]);
            JsonNode problem = assertProblem(generate(c[0], "{\"prompt\": \"a\"}"), 422);
            assertThat(problem.get("detail").asString()).as(c[0]).contains(c[1]);
        }
    }
}
