package io.seqserve.generation;

import io.seqserve.registry.Manifest;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.TaskCheck;
import java.util.List;
import org.springframework.stereotype.Component;

/** A text-generation version with an unusable vocabulary, state mapping or scores output fails at load. */
@Component
class GenerationTaskCheck implements TaskCheck {

    @Override
    public String task() {
        return "text-generation";
    }

    @Override
    public void check(ModelVersion candidate) {
        GenerationModel.of(candidate);
    }

    /**
     * A text model without state tensors takes int64 token ids: {@code [-1, context_length]}, or
     * {@code [-1, -1]} when it reads any length. A stateful model's state inputs are not determined.
     */
    @Override
    public List<Manifest.TensorDecl> inputs(Manifest manifest) {
        if (manifest.textGeneration() == null) {
            return List.of();
        }
        TextGenerationSpec spec = TextGenerationSpec.parse(manifest.textGeneration());
        if (spec.state() != null) {
            return List.of();
        }
        long length = spec.contextLength() == null ? -1 : spec.contextLength();
        return List.of(new Manifest.TensorDecl("tokens", "int64", List.of(-1L, length)));
    }
}
