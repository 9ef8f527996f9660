package io.seqserve.registry;

import io.seqserve.runtime.TensorSpec;
import java.util.List;

/** The inputs and outputs of a loaded model, in the order the engine takes and returns them. */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::name).toList();
    }

    /** True when every input has a known shape with a free dimension 0, so requests can be stacked. */
    public boolean batchable() {
        return !inputs.isEmpty() && inputs.stream().allMatch(TensorSpec::batchable);
    }
}
