package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.registry.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a text model's manifest section says about its inputs, for formats that carry no signature. */
class GenerationTaskCheckTest {

    private final GenerationTaskCheck check = new GenerationTaskCheck();

    @Test
    void aContextLengthFixesTheTokenInput() {
        assertThat(check.inputs(manifest(Map.of("vocabulary", List.of("a", "b"), "context_length", 32))))
                .containsExactly(new Manifest.TensorDecl("tokens", "int64", List.of(-1L, 32L)));
    }

    @Test
    void withoutOneTheModelReadsAnyLength() {
        assertThat(check.inputs(manifest(Map.of("vocabulary", List.of("a", "b")))))
                .containsExactly(new Manifest.TensorDecl("tokens", "int64", List.of(-1L, -1L)));
    }

    @Test
    void stateTensorsAreNotDetermined() {
        Map<String, Object> stateful =
                Map.of("vocabulary", List.of("a"), "state", Map.of("inputs", List.of("h"), "outputs", List.of("h1")));
        assertThat(check.inputs(manifest(stateful))).isEmpty();
        assertThat(check.inputs(Manifest.EMPTY)).isEmpty();
    }

    private static Manifest manifest(Map<String, Object> textGeneration) {
        return new Manifest(
                null,
                "text-generation",
                null,
                null,
                null,
                null,
                textGeneration,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
