package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.OwnServerTest;
import io.seqserve.testing.TestSavedModels;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 13 item 3: a non-streaming generation ({@code :generate} or {@code /v1/completions} without
 * {@code stream}) whose client connects, sends its request and drops the connection stops, as a streaming
 * one does, and frees its slot. With 2 slots, two such clients used to make every real caller 429 until
 * their generations ran to {@code max_tokens}.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(
        properties = {
            "seqserve.generation.max-concurrent-streams=2",
            "seqserve.generation.disconnect-probe-interval=200ms",
            "seqserve.generation.deadline=120s"
        })
class AbandonedGenerationTest extends OwnServerTest {

    private static final String MODEL = "abandoned-lm";

    @BeforeEach
    void model() throws Exception {
        Path dir = modelsRoot().resolve(MODEL);
        if (!Files.exists(dir)) {
            Path staging = Files.createTempDirectory(modelsRoot(), ".publish-");
            // whole-window decoding: each step re-reads the history, so 4,096 tokens take far longer than the test
            TestSavedModels.knownAnswerLanguageModel(staging.resolve("1"), GenerationServerTest.VOCAB.size());
            GenerationServerTest.manifest(
                    staging.resolve("1"),
                    "  level: char\n  output: logits\n  vocabulary: " + GenerationServerTest.VOCAB_YAML + "\n");
            Files.createDirectories(dir);
            Files.move(staging.resolve("1"), dir.resolve("1"), StandardCopyOption.ATOMIC_MOVE);
        }
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!get("/v1/models/" + MODEL).body().contains("\"available\"")) {
            assertThat(System.nanoTime()).as("model loaded in time").isLessThan(until);
            Thread.sleep(100);
        }
    }

    @Test
    void connectAndDropClientsFreeTheirSlots(CapturedOutput output) throws Exception {
        String generate = "{\"prompt\": \"a\", \"max_tokens\": 4096, \"temperature\": 0}";
        String complete = "{\"model\": \"" + MODEL + "\", \"prompt\": \"a\", \"max_tokens\": 4096, \"temperature\": 0}";
        double lengthBefore = counter("seqserve_generation_streams_total", "length");
        for (int round = 0; round < 3; round++) {
            double cancelled = counter("seqserve_generation_streams_total", "cancelled");
            dropAfterSending("/v1/models/" + MODEL + ":generate", generate);
            dropAfterSending("/v1/completions", complete);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (counter("seqserve_generation_streams_total", "cancelled") < cancelled + 2) {
                assertThat(System.nanoTime())
                        .as("both abandoned generations stopped in time")
                        .isLessThan(until);
                Thread.sleep(50);
            }
            HttpResponse<String> real = post(
                    "/v1/models/" + MODEL + ":generate", "{\"prompt\": \"a\", \"max_tokens\": 5, \"temperature\": 0}");
            assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
            assertThat(json(real).path("text").asString()).isEqualTo("bcdéf");
        }
        assertThat(counter("seqserve_generation_streams_total", "length"))
                .as("no abandoned generation ran to max_tokens")
                .isEqualTo(lengthBefore + 3);
        assertThat(output.getAll()).doesNotContain("AsyncContext", "IllegalStateException");
    }

    @Test
    void aGenerationLongerThanTheProbeIntervalStillAnswersWholeJson() throws Exception {
        HttpResponse<String> r = post(
                "/v1/completions",
                "{\"model\": \"" + MODEL + "\", \"prompt\": \"a\", \"max_tokens\": 1500, \"temperature\": 0}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("choices").path(0).path("text").asString()).hasSize(1500);
    }

    /** Connects, sends a whole request and closes the connection without reading anything. */
    private void dropAfterSending(String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        double started = started();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (started() <= started) {
                assertThat(System.nanoTime()).as("generation started").isLessThan(until);
                Thread.sleep(20);
            }
        }
    }

    /** Generations started so far: those running plus those that ended, however they ended. */
    private double started() throws Exception {
        return gauge("seqserve_generation_active_streams") + counter("seqserve_generation_streams_total", "");
    }

    private double gauge(String metric) throws Exception {
        Matcher m = Pattern.compile("^" + Pattern.quote(metric) + "\\{[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(get("/actuator/prometheus").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private double counter(String metric, String outcome) throws Exception {
        Pattern series = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Matcher m = series.matcher(get("/actuator/prometheus").body());
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains("model=\"" + MODEL + "\"") && m.group(1).contains("outcome=\"" + outcome)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
