package io.seqserve.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The healthy side of readiness, on the shared test models (all engines up, some versions broken on their
 * own files): ready, with every engine's self-check in health, the broken versions reported as the model's
 * fault and answered 422, never 503.
 */
class ReadinessApiTest extends ServerTest {

    @Test
    void readyWithEveryEngineUpAlthoughSomeModelsAreBrokenOnTheirOwnFiles() throws Exception {
        HttpResponse<String> readyz = get("/readyz");
        assertThat(readyz.statusCode()).as(readyz.body()).isEqualTo(200);
        JsonNode registry = json(readyz).at("/components/modelRegistry/details");
        assertThat(registry.path("models").asString()).isEqualTo("all");
        for (String engine : new String[] {"TensorFlow", "PyTorch", "OnnxRuntime"}) {
            assertThat(registry.path("engines").path(engine).asString())
                    .as(engine)
                    .startsWith("up (");
        }
        assertThat(registry.has("problems")).as("no problems when ready").isFalse();
        assertThat(json(get("/v1/models/corrupt")).path("state").asString())
                .as("a broken model is present")
                .isEqualTo("failed");
    }

    @Test
    void healthHasAComponentPerEngine() throws Exception {
        JsonNode engines = json(get("/actuator/health")).at("/components/engines/components");
        for (String engine : new String[] {"TensorFlow", "PyTorch", "OnnxRuntime"}) {
            assertThat(engines.path(engine).path("status").asString())
                    .as(engine)
                    .isEqualTo("UP");
            assertThat(engines.path(engine).at("/details/version").asString())
                    .as(engine)
                    .isNotBlank();
        }
        assertThat(get("/actuator/prometheus").body())
                .contains("seqserve_engine_up{application=\"seqserve\",engine=\"OnnxRuntime\"} 1.0");
    }

    @Test
    void aVersionBrokenOnItsOwnFilesIsTheModelsFault() throws Exception {
        JsonNode corrupt = json(get("/v1/models/corrupt"));
        assertThat(corrupt.at("/failure/class").asString()).isEqualTo("model");
        assertThat(corrupt.at("/failure/reason").asString())
                .isEqualTo(corrupt.path("error").asString())
                .isNotBlank();
        assertThat(corrupt.path("engine").asString()).as("what it would need").isEqualTo("TensorFlow");
        JsonNode problem = assertProblem(post("/v1/models/corrupt:predict", "{\"instances\": [1.0]}"), 422);
        assertThat(problem.path("detail").asString()).contains("failed to load").doesNotContain("environment");
        JsonNode available = json(get("/v1/models/half_plus_two"));
        assertThat(available.has("failure")).isTrue();
        assertThat(available.path("failure").isNull()).isTrue();
    }
}
