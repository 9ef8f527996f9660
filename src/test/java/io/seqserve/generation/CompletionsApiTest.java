package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/completions} answers, streams and fails the way OpenAI's legacy completions API does. */
class CompletionsApiTest extends GenerationServerTest {

    @BeforeEach
    void models() throws Exception {
        knownModel("gen-known", "  level: char\n  output: logits\n  vocabulary: " + VOCAB_YAML + "\n");
    }

    @Test
    void aCompletionHasOpenAisShape() throws Exception {
        JsonNode body = json(post(
                "/v1/completions",
                "{\"model\": \"gen-known\", \"prompt\": \"a\", \"max_tokens\": 4,"
                        + " \"temperature\": 0, \"user\": \"someone\", \"presence_penalty\": 0}"));

        assertThat(body.get("id").asString()).startsWith("cmpl-");
        assertThat(body.get("object").asString()).isEqualTo("text_completion");
        assertThat(body.get("created").asLong())
                .isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
        assertThat(body.get("model").asString()).isEqualTo("gen-known");
        assertThat(body.get("choices")).hasSize(1);
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("text").asString()).isEqualTo("bcdé");
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.has("logprobs")).isTrue();
        assertThat(choice.get("logprobs").isNull()).isTrue();
        assertThat(choice.get("finish_reason").asString()).isEqualTo("length");
        JsonNode usage = body.get("usage");
        assertThat(List.of(
                        usage.get("prompt_tokens").asInt(),
                        usage.get("completion_tokens").asInt(),
                        usage.get("total_tokens").asInt()))
                .containsExactly(1, 4, 5);
    }

    @Test
    void promptListsOfOneStopStringsSeedsAndModelVersionsWork() throws Exception {
        JsonNode body = json(post(
                "/v1/completions",
                "{\"model\": \"gen-known/versions/1\", \"prompt\": [\"b\"], \"stop\": \"f\","
                        + " \"seed\": 3, \"temperature\": 0}"));
        assertThat(body.get("choices").get(0).get("text").asString()).isEqualTo("cdé");
        assertThat(body.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(body.get("model").asString()).isEqualTo("gen-known/versions/1");

        // OpenAI's default max_tokens is 16.
        JsonNode defaults =
                json(post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"temperature\": 0}"));
        assertThat(defaults.get("usage").get("completion_tokens").asInt()).isEqualTo(16);
    }

    @Test
    void streamedChunksAddUpToTheCompletion() throws Exception {
        String request = "{\"model\": \"gen-known\", \"prompt\": \"c\", \"max_tokens\": 6, \"temperature\": 0";
        String text = json(post("/v1/completions", request + "}"))
                .get("choices")
                .get(0)
                .get("text")
                .asString();

        Sse sse = stream(
                "/v1/completions", request + ", \"stream\": true, \"stream_options\": {\"include_usage\": true}}");

        assertThat(sse.status()).isEqualTo(200);
        assertThat(sse.contentType()).startsWith("text/event-stream");
        assertThat(sse.done()).isTrue();
        StringBuilder streamed = new StringBuilder();
        String id = sse.events().get(0).get("id").asString();
        for (JsonNode chunk : sse.events()) {
            assertThat(chunk.get("id").asString()).isEqualTo(id);
            assertThat(chunk.get("object").asString()).isEqualTo("text_completion");
            assertThat(chunk.get("model").asString()).isEqualTo("gen-known");
            chunk.get("choices").forEach(c -> streamed.append(c.get("text").asString()));
        }
        assertThat(streamed.toString()).isEqualTo(text).isEqualTo("déf\nab");
        JsonNode last = sse.events().get(sse.events().size() - 2).get("choices").get(0);
        assertThat(last.get("text").asString()).isEmpty();
        assertThat(last.get("finish_reason").asString()).isEqualTo("length");
        JsonNode usage = sse.last();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("total_tokens").asInt()).isEqualTo(7);
        assertThat(sse.events()
                        .get(0)
                        .get("choices")
                        .get(0)
                        .get("finish_reason")
                        .isNull())
                .isTrue();
    }

    @Test
    void whatOpenAiClientsCannotGetHereIsRefused() throws Exception {
        assertProblem(post("/v1/completions", "{\"prompt\": \"a\"}"), 400, "invalid", "model");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": [\"a\", \"b\"]}"),
                400,
                "invalid",
                "prompt");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": [1, 2]}"), 400, "invalid", "prompt[0]");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"n\": 2}"),
                400,
                "invalid",
                "n");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"best_of\": 3}"),
                400,
                "invalid",
                "best_of");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"echo\": true}"),
                400,
                "invalid",
                "echo");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"logprobs\": 2}"),
                400,
                "invalid",
                "logprobs");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"suffix\": \"x\"}"),
                400,
                "invalid",
                "suffix");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"temperature\": -1}"),
                400,
                "invalid",
                "temperature");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"top_p\": 0}"),
                400,
                "invalid",
                "top_p");
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"max_tokens\": 0}"),
                400,
                "invalid",
                "max_tokens");
        // The fields it reads are typed as strictly as seqserve's own API; only unknown ones are let through.
        assertProblem(
                post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"a\", \"max_tokens\": \"4\"}"),
                400,
                "invalid",
                "max_tokens");
        assertProblem(post("/v1/completions", "{\"model\": 5, \"prompt\": \"a\"}"), 400, "invalid", "model");
        assertProblem(post("/v1/completions", "{\"model\": \"no-such-model\", \"prompt\": \"a\"}"), 404);
        assertProblem(post("/v1/completions", "{\"model\": \"java-half-plus-two\", \"prompt\": \"a\"}"), 422);
        assertProblem(post("/v1/completions", "{\"model\": \"gen-known\", \"prompt\": \"xyz\"}"), 422);
    }
}
