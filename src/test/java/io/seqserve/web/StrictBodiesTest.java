package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.TestModelRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The registry's JSON bodies are bound as strictly as every other (issue 13, item 7): a value of the wrong
 * JSON type is the client's mistake, refused with 400 naming the field, and nothing changes. Before, a
 * label PUT of {@code 1.9}, {@code "1"} or {@code 1e0} labelled version 1 and {@code {"name": 5}} registered
 * a model named {@code 5}. Models here are named {@code strict-*}.
 */
class StrictBodiesTest extends ServerTest {

    private static final String MODEL = "strict-hpt";

    @BeforeEach
    void registered() throws Exception {
        Path root = TestModelRoot.get();
        if (!Files.exists(root.resolve(MODEL))) {
            TestModelRoot.copy(
                    TestModelRoot.SHARED.resolve("savedmodels/half_plus_two_cpu"),
                    root.resolve("incoming-strict/" + MODEL));
            int status = post(
                            "/v1/models", "{\"name\": \"" + MODEL + "\", \"path\": \"incoming-strict/" + MODEL + "\"}")
                    .statusCode();
            assertThat(status).isEqualTo(201);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.9", "\"1\"", "1e0", "true", "[1]", "{\"v\": 1}", "null", "99999999999999999999"})
    void aLabelVersionThatIsNotAnIntegerIsRefused(String version) throws Exception {
        JsonNode problem = assertProblem(
                send(
                        "PUT",
                        "/v1/models/" + MODEL + "/labels/canary",
                        "application/json",
                        "{\"version\": " + version + "}"),
                400,
                "invalid",
                "version");
        assertThat(problem.get("detail").asString())
                .doesNotContain("java.", "Long", "LabelAssignment", "CoercionConfig");
        assertThat(TestModelRoot.get().resolve(MODEL + "/labels.json")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\": 5, \"path\": \"incoming-strict/strict-hpt\"}",
                "{\"name\": \"strict-other\", \"path\": 7}",
                "{\"name\": \"strict-other\", \"path\": \"incoming-strict/strict-hpt\", \"paht\": \"x\"}",
                "{\"name\": [\"strict-other\"], \"path\": \"incoming-strict/strict-hpt\"}"
            })
    void aRegistrationWithAFieldOfTheWrongTypeIsRefused(String body) throws Exception {
        JsonNode problem = assertProblem(post("/v1/models", body), 400, "invalid", field(body));
        assertThat(problem.get("detail").asString()).doesNotContain("java.", "PathRegistration", "ModelController");
        assertThat(TestModelRoot.get().resolve("5")).doesNotExist();
        assertThat(TestModelRoot.get().resolve("strict-other")).doesNotExist();
    }

    private static String field(String body) {
        return body.contains("\"paht\"") ? "paht" : body.contains("\"path\": 7") ? "path" : "name";
    }
}
