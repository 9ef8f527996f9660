package io.seqserve.generation;

import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.TaskCheck;
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
}
