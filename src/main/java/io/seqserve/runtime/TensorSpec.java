package io.seqserve.runtime;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * A named tensor a model takes or returns. {@code shape} uses -1 for a dimension of any size, and is
 * {@code null} when the engine does not report it (TorchScript without a manifest). {@code batchAxis} is the
 * dimension requests are stacked along: 0 for ordinary tensors, 1 for a PyTorch RNN state
 * {@code [layers, batch, hidden]}.
 */
public record TensorSpec(String name, DataType dtype, long[] shape, int batchAxis) {

    public TensorSpec {
        if (batchAxis < 0 || shape != null && shape.length > 0 && batchAxis >= shape.length) {
            throw new IllegalArgumentException(
                    "batch axis " + batchAxis + " of " + name + " is outside its shape " + Arrays.toString(shape));
        }
    }

    public TensorSpec(String name, DataType dtype, long[] shape) {
        this(name, dtype, shape, 0);
    }

    /** This tensor with its batch on {@code axis}. */
    public TensorSpec withBatchAxis(int axis) {
        return new TensorSpec(name, dtype, shape, axis);
    }

    public boolean hasShape() {
        return shape != null;
    }

    public int rank() {
        return shape == null ? -1 : shape.length;
    }

    /** True when the batch axis may take any size, so requests can be stacked along it. */
    public boolean batchable() {
        return shape != null && shape.length > batchAxis && shape[batchAxis] == -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && batchAxis == t.batchAxis;
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape) + batchAxis;
    }

    @Override
    public String toString() {
        return name + ":" + dtype + (shape == null ? "[?]" : Arrays.toString(shape))
                + (batchAxis == 0 ? "" : " batch axis " + batchAxis);
    }
}
