package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13's reproductions of malformed requests (items 1, 7 and 8), each sent as found and answered with
 * a 4xx problem+json: multipart that is not, an encoded slash, request lines and headers over 8 KB, bodies
 * over the cap whether chunked or not, archives with too many entries, overlong UTF-8, and details that
 * never name a Java class. None logs a stack trace and the server keeps answering.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsTest extends ServerTest {

    private static final int CAP = 16 * 1024 * 1024;

    @AfterEach
    void stillAlive() throws Exception {
        assertThat(get("/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyDeclaredMultipartThatIsNotIsA400WithoutAStackTrace(CapturedOutput output) throws Exception {
        // curl -si localhost:8080/v1/models/half_plus_two:predict -H 'Content-Type: multipart/form-data' --data-binary
        // x
        assertProblem(
                send("POST", "/v1/models/half_plus_two:predict", "multipart/form-data", "x"), 400, "invalid", null);
        // cut short after the first part's headers
        String truncated = "--abc\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nfoo";
        assertProblem(send("POST", "/v1/models", "multipart/form-data; boundary=abc", truncated), 400, "invalid", null);
        // a boundary of 5,000 characters
        String boundary = "b".repeat(5000);
        assertProblem(
                send("PUT", "/v1/models/x/labels/y", "multipart/form-data; boundary=" + boundary, "--" + boundary),
                400,
                "invalid",
                null);
        assertThat(output.getAll()).doesNotContain("MultipartException", "FileUploadException", "\tat ");
    }

    @Test
    void anEncodedSlashInThePathIsAProblemNotTomcatsHtml() throws Exception {
        HttpResponse<String> r = post("/v1/models/a%2Fb:predict", "{\"instances\": [1.0]}");
        assertProblem(r, 400, "invalid", null);
        assertThat(r.body()).doesNotContain("<html");
    }

    @Test
    void aRequestLineOrHeaderOver8KbIsAProblemNotTomcatsHtml() throws Exception {
        assertProblem(get("/v1/models/" + "a".repeat(9000)), 400, "invalid", null);
        HttpResponse<String> header = HTTP.send(
                HttpRequest.newBuilder(uri("/v1/models"))
                        .header("X-Padding", "p".repeat(9000))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode problem = assertProblem(header, 400, "invalid", null);
        assertThat(problem.path("detail").asString()).contains("8 KB");
    }

    @Test
    void anOverlongUtf8SequenceIsRefusedInBodiesAndPaths() throws Exception {
        // C0 AF is an overlong '/': a JSON parser that decodes it would see "a/b"
        byte[] body = concat(
                "{\"model\": \"a".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                "b\", \"prompt\": \"x\"}".getBytes(StandardCharsets.US_ASCII));
        JsonNode problem =
                assertProblem(bytes("/v1/completions", "application/json", body, false), 400, "invalid", null);
        assertThat(problem.path("detail").asString()).contains("UTF-8").doesNotContain("a/b");
        assertProblem(post("/v1/models/a%C0%AFb:predict", "{\"instances\": [1.0]}"), 400, "invalid", null);
    }

    @Test
    void aChunkedBodyOverTheCapIsA413LikeTheSameSizeWithContentLength() throws Exception {
        byte[] csv = ("value\n" + "1\n".repeat(CAP / 2 + 10)).getBytes(StandardCharsets.US_ASCII);
        assertProblem(bytes("/v1/datasets?name=big", "text/csv", csv, true), 413, "too-large", null);
        assertProblem(bytes("/v1/datasets?name=big", "text/csv", csv, false), 413, "too-large", null);
        byte[] json = ("{\"instances\": [" + "1.0,".repeat(CAP / 4 + 10) + "1.0]}").getBytes(StandardCharsets.US_ASCII);
        assertProblem(
                bytes("/v1/models/half_plus_two:predict", "application/json", json, true), 413, "too-large", null);
        assertProblem(
                bytes("/v1/models/half_plus_two:predict", "application/json", json, false), 413, "too-large", null);
    }

    @Test
    void anArchiveWithMoreThan10000EntriesIsA413() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (int i = 0; i <= 10_000; i++) {
                out.putNextEntry(new ZipEntry("f" + i + ".txt"));
                out.write('x');
                out.closeEntry();
            }
        }
        String boundary = "seqserve-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nhostile-many\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"many.zip\"\r\n"
                        + "Content-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.write(zip.toByteArray());
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        JsonNode problem = assertProblem(
                bytes("/v1/models", "multipart/form-data; boundary=" + boundary, body.toByteArray(), false),
                413,
                "too-large",
                "file");
        assertThat(problem.path("detail").asString()).contains("10000 entries");
        assertThat(get("/v1/models/hostile-many").statusCode()).isEqualTo(404);
    }

    @Test
    void problemDetailsNeverNameJavaClasses() throws Exception {
        String deep = "[".repeat(1200) + "]".repeat(1200);
        String[][] requests = {
            {"/v1/models/half_plus_two:generate", "{\"prompt\": \"x\", \"max_tokens\": 1.5}"},
            {"/v1/models/half_plus_two:generate", "{\"prompt\": \"x\", \"stop\": {\"a\": 1}}"},
            {"/v1/models/half_plus_two:generate", "{\"prompt\": " + deep + "}"},
            {"/v1/models/half_plus_two:generate", "{\"prompt\": \"x\", \"seed\": " + "1".repeat(1200) + "}"},
            {"/v1/models/half_plus_two:generate", "[]"},
            {"/v1/models/half_plus_two:predict", "{\"instances\": " + deep + "}"},
            {"/v1/completions", "{\"model\": \"x\", \"prompt\": [[\"a\"]]}"},
            {"/v1/completions", "{\"a\":".repeat(1100) + "1" + "}".repeat(1100)},
            {"/v1/training-jobs", "{\"model_name\": \"x\", \"dataset\": {\"values\": " + deep + "}}"},
            {"/v1/models/half_plus_two/labels/x", "{\"version\": 1.9}"},
        };
        for (String[] request : requests) {
            String method = request[0].contains("/labels/") ? "PUT" : "POST";
            HttpResponse<String> r = send(method, request[0], "application/json", request[1]);
            JsonNode problem = assertProblem(r, 400);
            String text = problem.path("detail").asString() + problem.path("errors");
            assertThat(text)
                    .as(request[0] + " " + r.body())
                    .doesNotContain("`", "$", "io.seqserve", "java.", "jackson", "Config", "Exception");
        }
    }

    private HttpResponse<String> bytes(String path, String contentType, byte[] body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> (InputStream) new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", contentType)
                        .POST(publisher)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
