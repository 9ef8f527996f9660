package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.StatefulModels;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Text-generation sessions over HTTP with PyTorch's char-GRU (state on axis 1, TorchScript and ONNX):
 * continuations through a session read only what is new and give exactly the greedy text PyTorch recorded, and
 * the text one call with the whole prompt gives.
 */
class GenerationSessionApiTest extends LiveTest {

    private static final JsonNode META = StatefulModels.CHAR_META;
    private static boolean published;

    @BeforeEach
    void models() throws Exception {
        synchronized (GenerationSessionApiTest.class) {
            if (!published) {
                published = true;
                StatefulModels.charGru("lv-char", 1, false);
                StatefulModels.charGru("lv-char-onnx", 1, true);
                StatefulModels.charGru("lv-char-other", 1, true);
                StatefulModels.gruTorchScript(
                        "lv-gru-fc",
                        1,
                        StatefulModels.GRU_SIGNATURE + StatefulModels.GRU_STATE + StatefulModels.GRU_FORECASTING);
            }
        }
        for (String name : List.of("lv-char", "lv-char-onnx", "lv-char-other", "lv-gru-fc")) {
            awaitState(name, 1, "available");
        }
    }

    private JsonNode generate(String ref, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post("/v1/models/" + ref + ":generate", JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lv-char", "lv-char-onnx"})
    void twoContinuationsThroughASessionGivePyTorchsRecordedGreedyText(String model) throws Exception {
        String prompt = META.get("greedy_prompt").asString();
        String greedy = META.get("greedy_80").asString();
        JsonNode session = open(model, body("text", prompt));
        String id = session.get("id").asString();
        assertThat(session.get("text").asString()).isEqualTo(prompt);
        assertThat(session.get("stateful").asBoolean()).isTrue();

        JsonNode first = generate(model, body("prompt", "", "max_tokens", 40, "temperature", 0, "session", id));
        assertThat(first.get("session").asString()).isEqualTo(id);
        assertThat(first.at("/usage/prompt_tokens").asInt()).isZero();
        JsonNode second = generate(model, body("prompt", "", "max_tokens", 40, "temperature", 0, "session", id));
        assertThat(first.get("text").asString() + second.get("text").asString()).isEqualTo(greedy);

        JsonNode whole = generate(
                model, body("prompt", prompt + first.get("text").asString(), "max_tokens", 40, "temperature", 0));
        assertThat(whole.get("text").asString()).isEqualTo(second.get("text").asString());

        JsonNode read = json(get("/v1/sessions/" + id));
        assertThat(read.get("text").asString()).isEqualTo(prompt + greedy);
        assertThat(read.get("tokens").asLong()).isEqualTo(prompt.length() + 80);
    }

    @Test
    void aPromptIsAppendedToTheSessionAndCompletionsContinueItToo() throws Exception {
        String id = open("lv-char", body()).get("id").asString();
        generate("lv-char", body("prompt", "The ", "max_tokens", 20, "temperature", 0, "session", id));
        HttpResponse<String> completion = post(
                "/v1/completions",
                JSON.writeValueAsString(
                        body("model", "lv-char", "prompt", "", "max_tokens", 60, "temperature", 0, "session", id)));
        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        assertThat(json(completion).get("session").asString()).isEqualTo(id);
        String text = json(get("/v1/sessions/" + id)).get("text").asString();
        assertThat(text).isEqualTo("The " + META.get("greedy_80").asString());
    }

    @Test
    void aForkBranchesTwoContinuationsFromOneState() throws Exception {
        String id = open("lv-char", body("text", "The ")).get("id").asString();
        generate("lv-char", body("prompt", "", "max_tokens", 10, "temperature", 0, "session", id));
        HttpResponse<String> forked = post("/v1/sessions/" + id + ":fork", "");
        assertThat(forked.statusCode()).as(forked.body()).isEqualTo(201);
        String copy = json(forked).get("id").asString();
        Map<String, Object> sampled = body("prompt", " ", "max_tokens", 30, "temperature", 0.9, "seed", 7);
        sampled.put("session", id);
        String a = generate("lv-char", sampled).get("text").asString();
        sampled.put("session", copy);
        String b = generate("lv-char", sampled).get("text").asString();
        assertThat(a).as("same state, same seed").isEqualTo(b);
        sampled.put("seed", 8);
        String c = generate("lv-char", sampled).get("text").asString();
        assertThat(json(get("/v1/sessions/" + copy)).get("text").asString()).endsWith(b + " " + c);
        assertThat(json(get("/v1/sessions/" + id)).get("text").asString())
                .endsWith(a)
                .doesNotContain(c);
    }

    @Test
    void sessionsOfAnotherTaskOrModelAndUnknownOnesAreProblems() throws Exception {
        String text = open("lv-char", body("text", "The ")).get("id").asString();
        String forecasting = open("lv-gru-fc", body()).get("id").asString();
        assertProblem(
                post(
                        "/v1/models/lv-gru-fc:generate",
                        JSON.writeValueAsString(body("prompt", "x", "session", forecasting))),
                422,
                "unprocessable",
                "session");
        assertProblem(
                post(
                        "/v1/models/lv-char-other:generate",
                        JSON.writeValueAsString(body("prompt", "x", "session", text))),
                422,
                "unprocessable",
                "session");
        assertProblem(
                post(
                        "/v1/models/lv-char/versions/2:generate",
                        JSON.writeValueAsString(body("prompt", "x", "session", text))),
                422,
                "unprocessable",
                "session");
        assertProblem(
                post(
                        "/v1/models/lv-char:generate",
                        JSON.writeValueAsString(body("prompt", "x", "session", "ls_unknown"))),
                404,
                "not-found",
                null);
        assertProblem(observe(text, List.of(1.0)), 422, "unprocessable", null);
        assertProblem(
                post("/v1/models/lv-char/sessions", JSON.writeValueAsString(body("history", List.of(1.0)))),
                400,
                "invalid",
                "history");
        assertThat(json(get("/v1/sessions/" + text)).get("text").asString()).isEqualTo("The ");
    }

    @Test
    void aSecondCallWhileAGenerationRunsOnTheSessionIsAConflict() throws Exception {
        String id = open("lv-char", body("text", "The ")).get("id").asString();
        HttpResponse<InputStream> streaming = HTTP.send(
                HttpRequest.newBuilder(uri("/v1/models/lv-char:generate"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                body("prompt", "", "max_tokens", 4000, "stream", true, "session", id))))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(streaming.statusCode()).isEqualTo(200);
        assertProblem(
                post("/v1/models/lv-char:generate", JSON.writeValueAsString(body("prompt", "x", "session", id))),
                409,
                "conflict",
                null);
        String events = new String(streaming.body().readAllBytes());
        assertThat(events).contains("\"finish_reason\"").contains("[DONE]");
        assertThat(json(get("/v1/sessions/" + id)).get("tokens").asLong()).isEqualTo(4004);
    }
}
