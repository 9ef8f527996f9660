package io.seqserve.training.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqserve.runtime.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Examples held in Java memory: {@code inputs [n, ...]} and {@code labels [n, ...]}, row i belonging together. */
public record Samples(HostTensor inputs, HostTensor labels) {

    public Samples {
        if (inputs.dim(0) != labels.dim(0)) {
            throw new IllegalArgumentException("inputs and labels differ in length");
        }
    }

    public int size() {
        return (int) inputs.dim(0);
    }

    /** The examples {@code order[from..to)} as one batch {@code [inputs, labels]} on {@code manager}. */
    NDList batch(NDManager manager, int[] order, int from, int to) {
        return new NDList(gather(inputs, order, from, to, manager), gather(labels, order, from, to, manager));
    }

    /** The examples {@code [from, to)} in order. */
    NDList range(NDManager manager, int from, int to) {
        return new NDList(
                inputs.rows(from, to - from).toNDArray(manager, "inputs"),
                labels.rows(from, to - from).toNDArray(manager, "labels"));
    }

    /** Copies the chosen rows into one buffer, the only copy before the engine takes it. */
    private static NDArray gather(HostTensor source, int[] order, int from, int to, NDManager manager) {
        ByteBuffer rows = source.buffer();
        int rowBytes = (int) (rows.remaining() / source.dim(0));
        ByteBuffer batch = ByteBuffer.allocateDirect((to - from) * rowBytes).order(ByteOrder.nativeOrder());
        for (int i = from; i < to; i++) {
            batch.put(rows.slice(order[i] * rowBytes, rowBytes));
        }
        long[] shape = source.shape().clone();
        shape[0] = to - from;
        return manager.create(batch.flip(), new Shape(shape), source.dtype());
    }
}
