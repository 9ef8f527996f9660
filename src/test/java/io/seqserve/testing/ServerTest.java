package io.seqserve.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.Failure;
import io.seqserve.web.Problems;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the HTTP tests: the real application on a random port over {@link TestModelRoot}, one
 * shared Spring context, plain {@code java.net.http} requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@HttpTest
public abstract class ServerTest {

    protected static final ObjectMapper JSON = JsonMapper.builder().build();
    protected static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void models(DynamicPropertyRegistry registry) throws IOException {
        registry.add("seqserve.models.root", () -> TestModelRoot.get().toString());
        registry.add("seqserve.models.poll-interval", () -> "300ms");
        registry.add("seqserve.data.dir", () -> tempDir("seqserve-data-"));
        // A generation that fails answers with its problem's status only before the first disconnect probe
        // commits 200; tests of failing generations must not race it on a loaded machine
        // (AbandonedGenerationTest tests the probes).
        registry.add("seqserve.generation.disconnect-probe-interval", () -> "10s");
        // The write guard refuses writes without a token on a detected cloud platform; these tests write
        // over loopback wherever they run (WriteGuardTest covers the platforms).
        registry.add("spring.main.cloud-platform", () -> "none");
    }

    private static String tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** No HTTP test writes under the baseline models: they stay as {@link TestModelRoot} built them. */
    @AfterAll
    static void baselineModelsUnchanged() {
        assertThat(TestModelRoot.baselineTree())
                .as("the baseline models are immutable for every test")
                .isEqualTo(TestModelRoot.builtTree());
    }

    @BeforeEach
    void awaitReady() throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (get("/actuator/health/readiness").statusCode() != 200) {
            assertThat(System.nanoTime()).as("server ready in time").isLessThan(until);
            Thread.sleep(100);
        }
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, "application/json", json);
    }

    protected HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /**
     * Asserts a problem of seqserve's own vocabulary: its status, its type {@code urn:seqserve:problem:<kind>}
     * or the type of a specific {@link Failure.Code} of that kind (a code's name, {@code series-too-short}, asks for
     * exactly that code), with the title that goes with it, and the
     * field in {@code errors} ({@code null}: no errors list).
     */
    protected static JsonNode assertProblem(HttpResponse<String> response, int status, String kind, String field) {
        JsonNode body = assertProblem(response, status);
        String type = body.path("type").asString();
        String constant = kind.toUpperCase(Locale.ROOT).replace('-', '_');
        boolean isCode =
                Arrays.stream(Failure.Code.values()).anyMatch(c -> c.name().equals(constant));
        if (isCode) {
            assertThat(type)
                    .as(response.body())
                    .isEqualTo(Problems.type(Failure.Code.valueOf(constant)).toString());
        }
        Failure.Kind expected = isCode ? Failure.Code.valueOf(constant).kind() : Failure.Kind.valueOf(constant);
        Failure.Code code = Arrays.stream(Failure.Code.values())
                .filter(c -> Problems.type(c).toString().equals(type))
                .findFirst()
                .orElse(null);
        if (code == null) {
            assertThat(type)
                    .as(response.body())
                    .isEqualTo(Problems.type(expected).toString());
            assertThat(body.path("title").asString()).as(response.body()).isEqualTo(Problems.title(expected));
        } else {
            assertThat(code.kind()).as(response.body()).isEqualTo(expected);
            assertThat(body.path("title").asString()).as(response.body()).isEqualTo(Problems.title(code));
        }
        if (field == null) {
            assertThat(body.has("errors"))
                    .as("no errors list: " + response.body())
                    .isFalse();
        } else {
            assertThat(body.path("errors").findValuesAsString("field"))
                    .as(response.body())
                    .contains(field);
            body.path("errors")
                    .forEach(e -> assertThat(e.path("message").asString())
                            .as(response.body())
                            .isNotBlank());
        }
        return body;
    }

    /** Asserts a problem of a specific code: its type, title and status. */
    protected static JsonNode assertProblem(HttpResponse<String> response, Failure.Code code) {
        JsonNode body = assertProblem(response, Problems.status(code.kind()));
        assertThat(body.path("type").asString())
                .as(response.body())
                .isEqualTo(Problems.type(code).toString());
        assertThat(body.path("title").asString()).as(response.body()).isEqualTo(Problems.title(code));
        return body;
    }

    /** Asserts an RFC 9457 problem with the given status. */
    protected static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = json(response);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.has("type")).as("type present").isTrue();
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).isNotBlank();
        return body;
    }
}
