package io.seqserve.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.seqserve.runtime.HostTensor;

import java.util.ArrayList;
import java.util.List;

/** Examples held in Java memory: {@code inputs [n, ...]} and {@code labels [n, ...]}, row i belonging together. */
record Samples(HostTensor inputs, HostTensor labels) {

    Samples {
        if (inputs.dim(0) != labels.dim(0)) {
            throw new IllegalArgumentException("inputs and labels differ in length");
        }
    }

    int size() {
        return (int) inputs.dim(0);
    }

    /** The examples {@code order[from..to)} as one batch {@code [inputs, labels]} on {@code manager}. */
    NDList batch(NDManager manager, int[] order, int from, int to) {
        List<HostTensor> x = new ArrayList<>(to - from);
        List<HostTensor> y = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            x.add(inputs.rows(order[i], 1));
            y.add(labels.rows(order[i], 1));
        }
        return new NDList(HostTensor.concat(x).toNDArray(manager, "inputs"), HostTensor.concat(y).toNDArray(manager, "labels"));
    }

    /** The examples {@code [from, to)} in order. */
    NDList range(NDManager manager, int from, int to) {
        return new NDList(inputs.rows(from, to - from).toNDArray(manager, "inputs"), labels.rows(from, to - from).toNDArray(manager, "labels"));
    }
}
