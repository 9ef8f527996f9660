package io.seqserve.registry;

import ai.djl.ndarray.types.Shape;
import io.seqserve.runtime.TensorSpec;

/** Which axis of an output follows the batch, learnt from the warm-up's outputs at batch 1 and batch 2. */
final class OutputAxes {

    private OutputAxes() {}

    /** The one axis that is 1 at batch 1 and 2 at batch 2 while every other axis stays; -1 when there is none. */
    static int batchAxis(Shape one, Shape two) {
        if (one.dimension() != two.dimension()) {
            return -1;
        }
        int found = -1;
        for (int d = 0; d < one.dimension(); d++) {
            if (one.get(d) == two.get(d)) {
                continue;
            }
            if (found >= 0 || one.get(d) != 1 || two.get(d) != 2) {
                return -1;
            }
            found = d;
        }
        return found;
    }

    /**
     * A state output must follow the batch on the axis the manifest declares: a state split along another axis
     * would hand one caller's state to another.
     */
    static void checkState(TensorSpec output, int learnt, Manifest.State state) throws LoadException {
        if (state != null && state.outputs().contains(output.name()) && learnt != state.batchAxisOrDefault()) {
            throw new LoadException("state output '" + output.name() + "' follows the batch on "
                    + (learnt < 0 ? "no single axis" : "axis " + learnt) + " in the warm-up, but state.batch_axis is "
                    + state.batchAxisOrDefault());
        }
    }

    /**
     * {@code spec} batched on {@code axis}; a shape only learnt from the warm-up (not declared) gets that axis
     * free (-1), as the warm-up's batch size says nothing about the model.
     */
    static TensorSpec withBatchAxis(TensorSpec spec, int axis, boolean declared) {
        if (declared || !spec.hasShape() || spec.shape().length == 0) {
            return spec.hasShape() && axis >= spec.shape().length ? spec : spec.withBatchAxis(axis);
        }
        long[] shape = spec.shape().clone();
        shape[axis] = -1;
        return new TensorSpec(spec.name(), spec.dtype(), shape, axis);
    }
}
