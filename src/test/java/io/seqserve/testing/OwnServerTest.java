package io.seqserve.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of HTTP tests that need settings of their own ({@code @TestPropertySource} on the subclass): the
 * real application on a random port over an empty models root and data directory of its own, closed after
 * the class. A test that needs a model writes it under {@link #modelsRoot()}. Helpers as in {@link ServerTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@HttpTest
public abstract class OwnServerTest {

    private static final Path ROOT = tempDir("seqserve-own-models-");

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void ownRoot(DynamicPropertyRegistry registry) {
        registry.add("seqserve.models.root", ROOT::toString);
        registry.add("seqserve.models.poll-interval", () -> "300ms");
        Path data = tempDir("seqserve-own-data-");
        registry.add("seqserve.data.dir", data::toString);
    }

    protected static Path modelsRoot() {
        return ROOT;
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void awaitLive() throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (get("/livez").statusCode() != 200) {
            if (System.nanoTime() > until) {
                throw new AssertionError("server not live in time");
            }
            Thread.sleep(100);
        }
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return ServerTest.HTTP.send(
                HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return ServerTest.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return ServerTest.json(response);
    }

    /** {@link ServerTest#assertProblem(HttpResponse, int, String, String)}: the one place problem types are spelled. */
    protected static JsonNode assertProblem(HttpResponse<String> response, int status, String kind, String field) {
        return ServerTest.assertProblem(response, status, kind, field);
    }

    protected static JsonNode assertProblem(HttpResponse<String> response, int status) {
        return ServerTest.assertProblem(response, status);
    }
}
