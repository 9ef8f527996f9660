package io.seqserve.registry;

import io.seqserve.runtime.BatchAxes;
import io.seqserve.runtime.TensorSpec;
import java.util.List;

/**
 * The inputs and outputs of a loaded model, in the order the engine takes and returns them, and the recurrent
 * state it carries: {@code states} pairs an input with the output that returns its next value (declared by the
 * manifest's {@code state} block; empty for a model without one).
 */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs, List<State> states) {

    /** Input {@code input} takes the state that output {@code output} returns, by index in the signature. */
    public record State(int input, int output) {}

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        states = List.copyOf(states);
    }

    public Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this(inputs, outputs, List.of());
    }

    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::name).toList();
    }

    /** True when every input has a known shape with a free batch axis, so requests can be stacked. */
    public boolean batchable() {
        return !inputs.isEmpty() && inputs.stream().allMatch(TensorSpec::batchable);
    }

    /** The axis each input and output is batched on. */
    public BatchAxes batchAxes() {
        return BatchAxes.of(inputs, outputs);
    }

    /** True when the model carries recurrent state that a caller can keep between calls. */
    public boolean stateful() {
        return !states.isEmpty();
    }

    /** True when input {@code i} is state. */
    public boolean isStateInput(int i) {
        return states.stream().anyMatch(s -> s.input() == i);
    }

    /** True when output {@code i} is state. */
    public boolean isStateOutput(int i) {
        return states.stream().anyMatch(s -> s.output() == i);
    }
}
