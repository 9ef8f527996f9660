package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.registry.Signature;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a stateful forecaster's tensors are: the one data input and the one forecast output besides the state
 * pairs of the manifest's {@code state} block (checked at load), and each state's shape for one series.
 */
record StateLayout(int inputs, int dataInput, int forecastOutput, List<Slot> slots) {

    /** State {@code input} returns as {@code output}; {@code shape} is one series' (1 on the batch axis). */
    record Slot(int input, int output, int axis, TensorSpec spec, long[] shape) {}

    /** The layout of a stateful signature, or null for a model without state. */
    static StateLayout of(Signature signature) {
        if (!signature.stateful()) {
            return null;
        }
        List<Slot> slots = new ArrayList<>();
        for (Signature.State s : signature.states()) {
            TensorSpec spec = signature.inputs().get(s.input());
            long[] shape = spec.shape().clone();
            shape[spec.batchAxis()] = 1;
            slots.add(new Slot(s.input(), s.output(), spec.batchAxis(), spec, shape));
        }
        return new StateLayout(
                signature.inputs().size(),
                theOther(signature.inputs().size(), i -> signature.isStateInput(i), "input"),
                theOther(signature.outputs().size(), i -> signature.isStateOutput(i), "output"),
                slots);
    }

    /** Zero state for one series: where every stateful model starts. */
    List<HostTensor> zeros() {
        List<HostTensor> state = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            long n = 1;
            for (long d : slot.shape()) {
                n *= d;
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(
                            (int) (n * slot.spec().dtype().getNumOfBytes()))
                    .order(ByteOrder.nativeOrder());
            state.add(new HostTensor(slot.spec().dtype(), slot.shape(), buf));
        }
        return state;
    }

    /** Bytes of one series' state. */
    long bytes() {
        long total = 0;
        for (Slot slot : slots) {
            long n = slot.spec().dtype().getNumOfBytes();
            for (long d : slot.shape()) {
                n *= d;
            }
            total += n;
        }
        return total;
    }

    private static int theOther(int count, java.util.function.IntPredicate isState, String what) {
        int found = -1;
        for (int i = 0; i < count; i++) {
            if (!isState.test(i)) {
                if (found >= 0) {
                    throw Failure.unprocessable("a stateful forecaster takes one data " + what + " besides its state;"
                            + " this one has several");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw Failure.unprocessable("a stateful forecaster needs a data " + what + " besides its state");
        }
        return found;
    }
}
