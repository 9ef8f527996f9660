package io.seqserve.registry;

import io.seqserve.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies a manifest's {@code state} block to a signature: the state tensors get their batch axis before the
 * warm-up (so it feeds them at batch 1 and 2 on the right axis), and once the outputs are known each state
 * input is paired with the output that returns it. Anything that does not fit fails the load with the reason.
 */
final class StateBinding {

    private StateBinding() {}

    /** The signature with the declared state tensors' batch axes set (outputs only where already known). */
    static Signature axes(Signature signature, Manifest.State state) throws LoadException {
        if (state == null) {
            return signature;
        }
        int axis = state.batchAxisOrDefault();
        List<TensorSpec> inputs = new ArrayList<>(signature.inputs());
        for (String name : state.inputs()) {
            int i = indexOf(inputs, name, "input");
            inputs.set(i, withAxis(inputs.get(i), axis));
        }
        List<TensorSpec> outputs = new ArrayList<>(signature.outputs());
        if (!outputs.isEmpty()) {
            for (String name : state.outputs()) {
                int i = indexOf(outputs, name, "output");
                outputs.set(i, withAxis(outputs.get(i), axis));
            }
        }
        return new Signature(inputs, outputs);
    }

    /** Pairs each state input with its output (after the warm-up completed the outputs). */
    static Signature pair(Signature signature, Manifest.State state) throws LoadException {
        if (state == null) {
            return signature;
        }
        List<Signature.State> pairs = new ArrayList<>();
        for (int k = 0; k < state.inputs().size(); k++) {
            int in = indexOf(signature.inputs(), state.inputs().get(k), "input");
            int out = indexOf(signature.outputs(), state.outputs().get(k), "output");
            TensorSpec input = signature.inputs().get(in);
            TensorSpec output = signature.outputs().get(out);
            if (!input.hasShape() || input.shape().length <= input.batchAxis()) {
                throw new LoadException("state input '" + input.name() + "' needs a declared shape with its batch axis "
                        + input.batchAxis() + "; it is " + input);
            }
            for (int d = 0; d < input.shape().length; d++) {
                if (d != input.batchAxis() && input.shape()[d] < 1) {
                    throw new LoadException("state input '" + input.name()
                            + "' must have fixed sizes apart from its batch axis; it is " + input);
                }
            }
            if (input.dtype() != output.dtype()
                    || output.batchAxis() != input.batchAxis()
                    || output.hasShape() && !sameApartFromBatch(input, output)) {
                throw new LoadException("state output '" + output.name() + "' (" + output
                        + ") must have the dtype, shape and batch axis of input '" + input.name() + "' (" + input
                        + ")");
            }
            pairs.add(new Signature.State(in, out));
        }
        return new Signature(signature.inputs(), signature.outputs(), pairs);
    }

    private static boolean sameApartFromBatch(TensorSpec input, TensorSpec output) {
        long[] a = input.shape();
        long[] b = output.shape();
        if (a.length != b.length) {
            return false;
        }
        for (int d = 0; d < a.length; d++) {
            if (d != input.batchAxis() && b[d] > 0 && a[d] != b[d]) {
                return false;
            }
        }
        return true;
    }

    private static TensorSpec withAxis(TensorSpec spec, int axis) throws LoadException {
        if (spec.hasShape() && axis >= spec.shape().length) {
            throw new LoadException("state.batch_axis " + axis + " is outside the shape of '" + spec.name() + "' "
                    + Arrays.toString(spec.shape()));
        }
        return spec.withBatchAxis(axis);
    }

    private static int indexOf(List<TensorSpec> tensors, String name, String what) throws LoadException {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new LoadException(
                "the manifest's state names " + what + " '" + name + "', which the model does not have ("
                        + tensors.stream().map(TensorSpec::name).toList() + ")");
    }
}
