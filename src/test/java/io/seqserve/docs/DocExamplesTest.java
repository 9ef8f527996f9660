package io.seqserve.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.HttpTest;
import io.seqserve.testing.RequiresTool;
import io.seqserve.testing.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code ```bash runnable} block of README.md and docs/API.md runs as written, in order, with bash,
 * curl and jq, from a copy of the repository's layout ({@code models/} copied, so the examples may write;
 * {@code examples/} and {@code src/} as they are), against the application freshly started on that copy
 * with its defaults (only the port differs: {@code localhost:8080} in the text is the random port). Each
 * curl call's status and body are checked against the answer the docs show ({@link DocExamples}): a doc
 * change or an API change that breaks an example fails the build.
 */
@HttpTest
@RequiresTool(Tool.CURL_JQ)
class DocExamplesTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(12);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"README.md", "docs/API.md"})
    void everyExampleAnswersAsShown(String file) throws Exception {
        List<DocExamples.Block> blocks =
                DocExamples.blocks(Files.readString(PROJECT.resolve(file), StandardCharsets.UTF_8));
        assertThat(blocks).as("runnable examples in " + file).isNotEmpty();
        try (DemoApp app = DemoApp.start()) {
            Path workspace = app.workspace;
            Path calls = Files.createDirectories(workspace.resolve(".calls"));
            int port = app.port;
            Path script = workspace.resolve(".examples.sh");
            Files.writeString(script, script(blocks, port, calls));
            Process bash = new ProcessBuilder("bash", script.toString())
                    .directory(workspace.toFile())
                    .redirectOutput(workspace.resolve(".stdout").toFile())
                    .redirectError(workspace.resolve(".stderr").toFile())
                    .start();
            boolean ended = bash.waitFor(SCRIPT_LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                bash.destroyForcibly();
            }
            String output = "\n--- stdout:\n" + tail(workspace.resolve(".stdout")) + "\n--- stderr:\n"
                    + tail(workspace.resolve(".stderr"));
            assertThat(ended)
                    .as("the examples of " + file + " end within " + SCRIPT_LIMIT + output)
                    .isTrue();
            List<String> failures = check(file, blocks, calls);
            assertThat(bash.exitValue())
                    .as(file + " ran to its end" + output + "\n" + failures)
                    .isZero();
            assertThat(failures).as(file + output).isEmpty();
        }
    }

    /**
     * The blocks as one script, each curl call recorded: its status in {@code calls/N.status}, its body in
     * {@code calls/N.body} (and on stdout, as the reader sees it), a line {@code call N} or {@code block K}
     * in {@code calls/log} so that calls map back to the commands that made them.
     */
    static String script(List<DocExamples.Block> blocks, int port, Path calls) {
        StringBuilder s = new StringBuilder();
        s.append("set -eo pipefail\n");
        s.append("CALLS='").append(calls).append("'\n");
        s.append("""
                curl() {
                  local n rc=0
                  n=$(( $(grep -c '^call' "$CALLS/log" || true) + 1 ))
                  echo "call $n" >> "$CALLS/log"
                  command curl "$@" -o "$CALLS/$n.body" -w '%{http_code}' > "$CALLS/$n.status" || rc=$?
                  cat "$CALLS/$n.body" 2>/dev/null || true
                  return $rc
                }
                touch "$CALLS/log"
                """);
        for (int i = 0; i < blocks.size(); i++) {
            s.append("echo 'block ").append(i).append("' >> \"$CALLS/log\"\n");
            s.append(blocks.get(i).text().replace("localhost:8080", "localhost:" + port));
        }
        s.append("echo 'end' >> \"$CALLS/log\"\n");
        return s.toString();
    }

    /** Each recorded call against the answer its command shows; the calls of each block as the text counts them. */
    static List<String> check(String file, List<DocExamples.Block> blocks, Path calls) throws IOException {
        List<String> failures = new ArrayList<>();
        List<List<Integer>> perBlock = new ArrayList<>();
        for (String line : Files.readAllLines(calls.resolve("log"))) {
            if (line.startsWith("block ")) {
                perBlock.add(new ArrayList<>());
            } else if (line.startsWith("call ") && !perBlock.isEmpty()) {
                perBlock.get(perBlock.size() - 1).add(Integer.valueOf(line.substring(5)));
            }
        }
        for (int b = 0; b < perBlock.size(); b++) {
            DocExamples.Block block = blocks.get(b);
            List<Integer> made = perBlock.get(b);
            int k = 0;
            for (DocExamples.Command command : block.commands()) {
                for (int c = 0; c < command.curls(); c++, k++) {
                    String where = file + ":" + command.line() + " " + firstLine(command.text());
                    if (k >= made.size()) {
                        failures.add(where + ": never ran (the block stopped before it)");
                        continue;
                    }
                    DocExamples.Answer answer = c == command.curls() - 1 ? command.answer() : null;
                    String problem = verify(calls, made.get(k), answer);
                    if (problem != null) {
                        failures.add(where + ": " + problem);
                    }
                }
            }
            if (made.size() > k) {
                failures.add(file + ":" + block.line() + ": the block made " + made.size()
                        + " curl calls, its text has " + k);
            }
        }
        return failures;
    }

    private static String verify(Path calls, int n, DocExamples.Answer answer) throws IOException {
        String statusText = Files.readString(calls.resolve(n + ".status")).strip();
        int status = statusText.isEmpty() ? 0 : Integer.parseInt(statusText);
        String body =
                Files.isRegularFile(calls.resolve(n + ".body")) ? Files.readString(calls.resolve(n + ".body")) : "";
        String shown = " (answered " + status + ": " + abbreviate(body) + ")";
        if (answer == null || answer.status() == null) {
            if (status < 200 || status > 299) {
                return "expected a 2xx answer" + shown;
            }
        } else if (status != answer.status()) {
            return "expected " + answer.status() + shown;
        }
        if (answer == null) {
            return null;
        }
        if (answer.shape() != null) {
            JsonNode shape = Shapes.parse(answer.shape());
            if (shape == null) {
                return "the answer shown is not JSON with '...': " + answer.shape();
            }
            JsonNode actual;
            try {
                actual = JSON.readTree(withoutHeaders(body));
            } catch (RuntimeException e) {
                return "the answer is not JSON" + shown;
            }
            String mismatch = Shapes.mismatch(shape, actual, "$");
            return mismatch == null ? null : mismatch + shown;
        }
        if (!answer.events().isEmpty()) {
            return Events.mismatch(answer.events(), body);
        }
        return null;
    }

    /** {@code curl -i} puts the status line and headers before the body. */
    private static String withoutHeaders(String body) {
        if (!body.startsWith("HTTP/")) {
            return body;
        }
        int end = body.indexOf("\r\n\r\n");
        return end < 0 ? body : body.substring(end + 4);
    }

    private static String firstLine(String text) {
        String line = text.strip().split("\n", 2)[0];
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }

    private static String abbreviate(String body) {
        String one = body.replace('\n', ' ');
        return one.length() > 600 ? one.substring(0, 600) + "..." : one;
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        String text = Files.readString(file);
        return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
    }
}
