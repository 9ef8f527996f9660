package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.HttpTest;
import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code seqserve.security.token} set, every write needs {@code Authorization: Bearer <token>},
 * loopback callers included; reads and model calls need nothing. Its own context over an empty models
 * root, closed after the class.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"seqserve.security.token=s3cret", "seqserve.models.poll-interval=300ms"})
@DirtiesContext
@HttpTest
class WriteTokenTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path ROOT = tempDir("seqserve-token-models-");
    private static final Path DATA = tempDir("seqserve-token-data-");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void emptyRoot(DynamicPropertyRegistry registry) {
        registry.add("seqserve.models.root", ROOT::toString);
        registry.add("seqserve.data.dir", DATA::toString);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empties both roots; the directories themselves go when the JVM exits, after the context has closed. */
    @AfterAll
    static void cleanUp() throws IOException {
        for (Path dir : new Path[] {ROOT, DATA}) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            }
            dir.toFile().deleteOnExit();
        }
    }

    @BeforeEach
    void awaitReady() throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (send("GET", "/actuator/health/readiness", null, null).statusCode() != 200) {
            assertThat(System.nanoTime()).as("server ready in time").isLessThan(until);
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> send(String method, String path, String authorization, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.has("type")).as("type present").isTrue();
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).isNotBlank();
        return body;
    }

    private static final String REGISTER_NOTHING = "{\"name\": \"tok-model\", \"path\": \"no-such-dir\"}";

    @Test
    void aWriteWithoutAuthorizationIs401WithAChallenge() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/models", null, REGISTER_NOTHING);
        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        for (String other : new String[] {"Basic czNjcmV0", "s3cret", "Bearer"}) {
            HttpResponse<String> wrongScheme = send("POST", "/v1/models", other, REGISTER_NOTHING);
            assertProblem(wrongScheme, 401);
            assertThat(wrongScheme.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertProblem(send("PUT", "/v1/models/tok-model/labels/production", null, "{\"version\": 1}"), 401);
        assertProblem(send("DELETE", "/v1/models/tok-model/versions/1", null, null), 401);
    }

    @Test
    void aWrongTokenIs403() throws Exception {
        for (String wrong : new String[] {"Bearer nope", "Bearer s3cret2", "Bearer S3CRET", "Bearer s3cre"}) {
            HttpResponse<String> response = send("POST", "/v1/models", wrong, REGISTER_NOTHING);
            assertProblem(response, 403);
        }
        assertProblem(send("DELETE", "/v1/models/tok-model/versions/1", "Bearer nope", null), 403);
    }

    @Test
    void theRightTokenGetsPastTheGuard() throws Exception {
        JsonNode problem = assertProblem(send("POST", "/v1/models", "Bearer s3cret", REGISTER_NOTHING), 400);
        assertThat(problem.get("detail").asString()).contains("path");
        assertProblem(send("POST", "/v1/models", "Bearer s3cret", "{\"name\": \"tok-model\"}"), 400);
        assertProblem(send("DELETE", "/v1/models/tok-model/versions/1", "Bearer s3cret", null), 404);
        assertProblem(send("PUT", "/v1/models/tok-model/labels/production", "Bearer s3cret", "{\"version\": 1}"), 404);
        assertThat(Files.exists(ROOT.resolve("tok-model"))).isFalse();
    }

    @Test
    void readsAndModelCallsNeedNoToken() throws Exception {
        HttpResponse<String> list = send("GET", "/v1/models", null, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).get("models").isArray()).isTrue();
        assertProblem(send("GET", "/v1/models/tok-nothing", null, null), 404);
        assertProblem(send("POST", "/v1/models/tok-nothing:predict", null, "{\"instances\": [1.0]}"), 404);
        assertProblem(send("POST", "/v1/models/tok-nothing/versions/1:predict", null, "{\"instances\": [1.0]}"), 404);
        assertProblem(
                send("POST", "/v1/models/tok-nothing/labels/production:predict", null, "{\"instances\": [1.0]}"), 404);
        assertProblem(
                send(
                        "POST",
                        "/v2/models/tok-nothing/infer",
                        null,
                        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1.0]}]}"),
                404);
    }

    @Test
    void aModelRegisteredWithTheTokenAnswersPredictionsWithoutOne() throws Exception {
        TestModelRoot.copy(TestModelRoot.SHARED.resolve("savedmodels/half_plus_two_cpu"), ROOT.resolve("incoming/hpt"));
        HttpResponse<String> created =
                send("POST", "/v1/models", "Bearer s3cret", "{\"name\": \"tok-hpt\", \"path\": \"incoming/hpt\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        HttpResponse<String> predicted =
                send("POST", "/v1/models/tok-hpt:predict", null, "{\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(JSON.readTree(predicted.body())).isEqualTo(JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
        assertThat(send("GET", "/v1/models/tok-hpt/versions/1", null, null).statusCode())
                .isEqualTo(200);

        assertProblem(send("PUT", "/v1/models/tok-hpt/labels/production", null, "{\"version\": 1}"), 401);
        assertProblem(send("DELETE", "/v1/models/tok-hpt/versions/1", null, null), 401);
        assertThat(ROOT.resolve("tok-hpt/1/saved_model.pb")).isRegularFile();
        assertThat(send("PUT", "/v1/models/tok-hpt/labels/production", "Bearer s3cret", "{\"version\": 1}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/v1/models/tok-hpt/labels/production:predict", null, "{\"instances\": [1.0]}")
                        .statusCode())
                .isEqualTo(200);
    }

    /**
     * Spring MVC matches paths with ";..." path parameters stripped, so a write dressed as a model call
     * ({@code DELETE /v1/models/m/versions/1;:predict}) must still be treated as a write.
     */
    @Test
    void pathParametersDoNotDisguiseAWriteAsAModelCall() throws Exception {
        TestModelRoot.copy(
                TestModelRoot.SHARED.resolve("savedmodels/half_plus_two_cpu"), ROOT.resolve("incoming/bypass"));
        assertThat(send(
                                "POST",
                                "/v1/models",
                                "Bearer s3cret",
                                "{\"name\": \"tok-bypass\", \"path\": \"incoming/bypass\"}")
                        .statusCode())
                .isEqualTo(201);
        assertProblem(send("PUT", "/v1/models/tok-bypass/labels/canary;x=:predict", null, "{\"version\": 1}"), 401);
        assertProblem(send("DELETE", "/v1/models/tok-bypass/versions/1;:predict", null, null), 401);
        assertThat(ROOT.resolve("tok-bypass/labels.json")).doesNotExist();
        assertThat(ROOT.resolve("tok-bypass/1")).isDirectory();
    }
}
