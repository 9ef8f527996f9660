package io.seqserve.runtime;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * A named tensor a model takes or returns. {@code shape} uses -1 for a dimension of any size, and is
 * {@code null} when the engine does not report it (TorchScript without a manifest).
 */
public record TensorSpec(String name, DataType dtype, long[] shape) {

    public boolean hasShape() {
        return shape != null;
    }

    public int rank() {
        return shape == null ? -1 : shape.length;
    }

    /** True when dimension 0 may take any size, so requests can be stacked along it. */
    public boolean batchable() {
        return shape != null && shape.length > 0 && shape[0] == -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + dtype + (shape == null ? "[?]" : Arrays.toString(shape));
    }
}
