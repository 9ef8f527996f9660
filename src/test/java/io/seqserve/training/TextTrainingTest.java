package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * A character LM trained on an original text through the API: it beats the unigram baseline, its served
 * model gives the next-character distribution, and feeding a prompt one token at a time while carrying
 * the returned state gives what one pass over the whole prompt gives (the O(n) decoding contract).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextTrainingTest extends TrainingHttpTest {

    static final Path TEXT = Path.of("src/test/resources/training/harbour.txt");
    private JsonNode job;
    private List<String> vocabulary;

    @BeforeAll
    void train() throws Exception {
        while (get("/actuator/health/readiness").statusCode() != 200) {
            Thread.sleep(100);
        }
        String ds = uploadText(Files.readString(TEXT));
        job = succeeded(submit("""
                {"model_name": "tr-harbour-lm", "task": "text-generation", "dataset": {"id": "%s"},
                 "sequence_length": 48, "embedding_size": 16, "architecture": {"cell": "lstm", "hidden_size": 64},
                 "training": {"epochs": 25, "batch_size": 16, "learning_rate": 0.01, "early_stopping_patience": 5}}
                """.formatted(ds)));
        vocabulary = new ArrayList<>();
        json(get("/v1/models/tr-harbour-lm"))
                .get("manifest")
                .get("text_generation")
                .get("vocabulary")
                .forEach(v -> vocabulary.add(v.asString()));
    }

    @Test
    void beatsTheUnigramBaselineAndSavesItsVocabulary() throws Exception {
        JsonNode metrics = job.get("result").get("metrics");
        assertThat(metrics.get("val_perplexity").asDouble())
                .isLessThan(0.6 * metrics.get("unigram_val_perplexity").asDouble());
        assertThat(metrics.has("test_perplexity")).isTrue();
        String text = Files.readString(TEXT);
        assertThat(vocabulary).hasSize((int) text.chars().distinct().count()).contains("\n", " ", "T", "k");
        assertThat(vocabulary).isSorted();
        JsonNode version = json(get("/v1/models/tr-harbour-lm"));
        assertThat(version.get("task").asString()).isEqualTo("text-generation");
        assertThat(version.get("inputs").toString())
                .isEqualTo(
                        "[{\"name\":\"tokens\",\"dtype\":\"int64\",\"shape\":[-1,-1]},"
                                + "{\"name\":\"state_h\",\"dtype\":\"float32\",\"shape\":[-1,1,64]},{\"name\":\"state_c\",\"dtype\":\"float32\",\"shape\":[-1,1,64]}]");
        assertThat(version.get("outputs").get(0).get("shape").toString())
                .isEqualTo("[-1,-1," + vocabulary.size() + "]");
    }

    @Test
    void theServedModelGivesTheNextCharacterDistribution() throws Exception {
        JsonNode outputs = predict("tr-harbour-lm", inputs("The harbour keep", null, null));
        JsonNode logits = outputs.get("logits").get(0);
        assertThat(logits.size()).isEqualTo("The harbour keep".length());
        double[] p = softmax(logits.get(logits.size() - 1));
        assertThat(sum(p)).isCloseTo(1.0, within(1e-6));
        assertThat(vocabulary.get(argmax(p))).isEqualTo("e");
    }

    @Test
    void decodingOneTokenAtATimeWithTheStateMatchesOnePass() throws Exception {
        String prompt = "The tide is a slow";
        JsonNode whole = predict("tr-harbour-lm", inputs(prompt, null, null));
        JsonNode h = null;
        JsonNode c = null;
        JsonNode step = null;
        for (int i = 0; i < prompt.length(); i++) {
            step = predict("tr-harbour-lm", inputs(prompt.substring(i, i + 1), h, c));
            h = step.get("state_h");
            c = step.get("state_c");
        }
        JsonNode last = whole.get("logits").get(0).get(prompt.length() - 1);
        JsonNode stepped = step.get("logits").get(0).get(0);
        for (int v = 0; v < vocabulary.size(); v++) {
            assertThat(stepped.get(v).asDouble()).isCloseTo(last.get(v).asDouble(), within(1e-4));
        }
        for (String state : List.of("state_h", "state_c")) {
            JsonNode carried = step.get(state).get(0).get(0);
            JsonNode once = whole.get(state).get(0).get(0);
            for (int i = 0; i < 64; i++) {
                assertThat(carried.get(i).asDouble()).isCloseTo(once.get(i).asDouble(), within(1e-4));
            }
        }
    }

    @Test
    void aGruLanguageModelCarriesOnlyAHiddenState() throws Exception {
        succeeded(submit("""
                {"model_name": "tr-tiny-gru-lm", "task": "text-generation", "dataset": {"text": "abcabcabcabcabcabcabcabcabcabcabcabcabcabc"},
                 "sequence_length": 4, "architecture": {"cell": "gru", "hidden_size": 4, "layers": 2},
                 "training": {"epochs": 2, "validation_fraction": 0.3, "test_fraction": 0}}
                """));
        JsonNode version = json(get("/v1/models/tr-tiny-gru-lm"));
        assertThat(version.get("inputs").size()).isEqualTo(2);
        assertThat(version.get("inputs").get(1).get("shape").toString()).isEqualTo("[-1,2,4]");
        assertThat(version.get("manifest")
                        .get("text_generation")
                        .get("vocabulary")
                        .toString())
                .isEqualTo("[\"a\",\"b\",\"c\"]");

        // Two rows with their own states in one call answer as each row alone: batch is dimension 0 everywhere.
        String h1 = "[[0.1, -0.2, 0.3, 0.4], [0.5, 0.6, -0.7, 0.8]]";
        String h2 = "[[-0.3, 0.2, 0.1, 0.0], [0.9, -0.1, 0.2, 0.3]]";
        JsonNode both =
                predict("tr-tiny-gru-lm", "{\"tokens\": [[0, 1], [2, 0]], \"state_h\": [" + h1 + ", " + h2 + "]}");
        JsonNode first = predict("tr-tiny-gru-lm", "{\"tokens\": [[0, 1]], \"state_h\": [" + h1 + "]}");
        JsonNode second = predict("tr-tiny-gru-lm", "{\"tokens\": [[2, 0]], \"state_h\": [" + h2 + "]}");
        for (String output : List.of("logits", "state_h")) {
            assertClose(both.get(output).get(0), first.get(output).get(0));
            assertClose(both.get(output).get(1), second.get(output).get(0));
        }
    }

    private static void assertClose(JsonNode actual, JsonNode expected) {
        if (expected.isArray()) {
            assertThat(actual.size()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertClose(actual.get(i), expected.get(i));
            }
        } else {
            assertThat(actual.asDouble()).isCloseTo(expected.asDouble(), within(1e-5));
        }
    }

    private String inputs(String text, JsonNode h, JsonNode c) {
        StringBuilder tokens = new StringBuilder("[[");
        for (int i = 0; i < text.length(); i++) {
            tokens.append(i > 0 ? "," : "").append(vocabulary.indexOf(text.substring(i, i + 1)));
        }
        String zeros = "[[" + "0,".repeat(63) + "0]]";
        return "{\"tokens\": " + tokens + "]], \"state_h\": ["
                + (h == null ? zeros : h.get(0).toString()) + "], \"state_c\": ["
                + (c == null ? zeros : c.get(0).toString()) + "]}";
    }

    private static double[] softmax(JsonNode logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode l : logits) {
            max = Math.max(max, l.asDouble());
        }
        double[] p = new double[logits.size()];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits.get(i).asDouble() - max);
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static double sum(double[] p) {
        double s = 0;
        for (double v : p) {
            s += v;
        }
        return s;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }
}
