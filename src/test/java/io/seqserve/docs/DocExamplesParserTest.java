package io.seqserve.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How the docs' examples are read: commands over lines, the answers shown, shapes with '...'. */
class DocExamplesParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void commandsJoinOverQuotesBackslashesPipesAndSubshells() {
        String md = """
                text
                ```bash runnable
                # prose about the first command
                curl -s localhost:8080/a -d '{
                  "x": 1}'
                # 201 {"id": "ds_...", ...}
                X=$(curl -s localhost:8080/b \\
                  | jq -r .id)   # a trailing comment
                # prose about the next one
                jq -n '{}' | curl -s localhost:8080/c -d @-
                # data: {"token": "...", "index": 0}
                # data: [DONE]
                mkdir -p x
                ```
                ```bash
                curl -s localhost:8080/not-runnable
                ```
                """;
        List<DocExamples.Block> blocks = DocExamples.blocks(md);
        assertThat(blocks).hasSize(1);
        List<DocExamples.Command> commands = blocks.get(0).commands();
        assertThat(commands).hasSize(4);
        assertThat(commands.get(0).answer())
                .isEqualTo(new DocExamples.Answer(201, "{\"id\": \"ds_...\", ...}", List.of()));
        assertThat(commands.get(1).curls()).isEqualTo(1);
        assertThat(commands.get(1).answer()).as("prose is no answer").isNull();
        assertThat(commands.get(2).answer().events())
                .containsExactly("data: {\"token\": \"...\", \"index\": 0}", "data: [DONE]");
        assertThat(commands.get(3).curls()).isZero();
        assertThat(blocks.get(0).curls()).isEqualTo(3);
    }

    @Test
    void aShapeGoesOnOverCommentLinesUntilItIsWholeAndProseAfterItIsLeft() {
        DocExamples.Answer answer = DocExamples.answer(List.of("{\"a\": [1,", "  2]}", "then prose"));
        assertThat(answer.shape()).isEqualTo("{\"a\": [1, 2]}");
        assertThat(DocExamples.answer(List.of("204"))).isEqualTo(new DocExamples.Answer(204, null, List.of()));
        assertThat(DocExamples.answer(List.of("register a directory"))).isNull();
    }

    @Test
    void shapesMatchWhatTheyShowAndNothingElse() {
        var shape = Shapes.parse("{\"id\": \"job_...\", \"n\": 1.5, \"list\": [1, ...], \"any\": ..., ...}");
        assertThat(Shapes.mismatch(
                        shape,
                        JSON.readTree("{\"id\": \"job_1\", \"n\": 1.5004, \"list\": [1, 2, 3], \"any\": {}, \"x\": 0}"),
                        "$"))
                .isNull();
        assertThat(Shapes.mismatch(
                        shape, JSON.readTree("{\"id\": \"ds_1\", \"n\": 1.5, \"list\": [1], \"any\": 0}"), "$"))
                .contains("$.id");
        assertThat(Shapes.mismatch(
                        shape, JSON.readTree("{\"id\": \"job_1\", \"n\": 1.6, \"list\": [1], \"any\": 0}"), "$"))
                .contains("$.n");
        assertThat(Shapes.mismatch(
                        shape, JSON.readTree("{\"id\": \"job_1\", \"n\": 1.5, \"list\": [2], \"any\": 0}"), "$"))
                .contains("$.list[0]");
        assertThat(Shapes.mismatch(shape, JSON.readTree("{\"id\": \"job_1\", \"n\": 1.5, \"list\": [1]}"), "$"))
                .contains("$.any: missing");

        var exact = Shapes.parse("{\"a\": [1, 2]}");
        assertThat(Shapes.mismatch(exact, JSON.readTree("{\"a\": [1, 2], \"b\": 0}"), "$"))
                .contains("'b'");
        assertThat(Shapes.mismatch(exact, JSON.readTree("{\"a\": [1, 2, 3]}"), "$"))
                .contains("3 elements");
        var tail = Shapes.parse("[..., 9]");
        assertThat(Shapes.mismatch(tail, JSON.readTree("[1, 2, 9]"), "$")).isNull();
        assertThat(Shapes.mismatch(tail, JSON.readTree("[9, 1]"), "$")).isNotNull();
    }

    @Test
    void eventStreamsHaveTheLinesShownInOrder() {
        String body =
                "event:trial\ndata:{\"index\":1}\n\n: keep-alive\n\nevent:status\ndata:{\"status\":\"succeeded\"}\n\n";
        assertThat(Events.mismatch(List.of("event:trial", "data:{\"index\":1}", "event:status"), body))
                .isNull();
        assertThat(Events.mismatch(List.of("event:status", "event:trial"), body))
                .isNotNull();
        assertThat(Events.mismatch(List.of("data: {\"status\": \"failed\"}"), body))
                .isNotNull();
        assertThat(Events.mismatch(List.of("data: [DONE]"), "data: {\"token\":\"a\"}\n\ndata: [DONE]\n\n"))
                .isNull();
    }
}
