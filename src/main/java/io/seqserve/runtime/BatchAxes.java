package io.seqserve.runtime;

import java.util.List;

/**
 * The axis each input and output of a model carries its batch on: requests are stacked along the inputs'
 * axes and the outputs split back along the outputs'. Usually 0; recurrent state in PyTorch's layout
 * {@code [layers, batch, hidden]} has it on 1.
 */
public record BatchAxes(int[] inputs, int[] outputs) {

    /** Every tensor batched on dimension 0. */
    public static final BatchAxes LEADING = new BatchAxes(new int[0], new int[0]);

    public static BatchAxes of(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        return new BatchAxes(
                inputs.stream().mapToInt(TensorSpec::batchAxis).toArray(),
                outputs.stream().mapToInt(TensorSpec::batchAxis).toArray());
    }

    public int input(int i) {
        return i < inputs.length ? inputs[i] : 0;
    }

    public int output(int i) {
        return i < outputs.length ? outputs[i] : 0;
    }
}
