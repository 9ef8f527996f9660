package io.seqserve.runtime;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The forward passes each worker of a pool runs on its own thread and predictor before its first request,
 * so a version is fast when it becomes available. TorchScript's profiling executor specialises its graph
 * on the first passes of every new input shape, and a worker's first passes load its engine's per-thread
 * state; both cost tens of milliseconds of CPU each, which would otherwise fall on the first users. Every
 * batch size the pool can form occurs under load, so every one is run, as stacked one-row requests of
 * zeros (the batching code path itself): sizes 1..64, then powers of two up to {@code max_batch_size}.
 *
 * @param passes each pass a list of requests, each request its input tensors in the model's input order
 */
public record WarmUp(List<List<List<HostTensor>>> passes) {

    public static final WarmUp NONE = new WarmUp(List.of());

    /** Length used for free non-batch dimensions (a sequence length, say). */
    public static final long FREE_LENGTH = 8;

    static final int EVERY_SIZE_UP_TO = 64;

    /**
     * {@code rounds} times every batch size up to {@code maxBatchSize} when the inputs are batchable, else
     * {@code rounds} single requests of the inputs' own shape.
     */
    public static WarmUp zeros(List<TensorSpec> inputs, boolean batchable, int maxBatchSize, int rounds) {
        List<HostTensor> oneRequest = new ArrayList<>(inputs.size());
        for (TensorSpec input : inputs) {
            oneRequest.add(zeros(input.dtype(), shape(input, 1)));
        }
        List<Integer> sizes = batchable ? batchSizes(maxBatchSize) : List.of(1);
        List<List<List<HostTensor>>> passes = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int size : sizes) {
                passes.add(Collections.nCopies(size, oneRequest));
            }
        }
        return new WarmUp(passes);
    }

    /** The batch sizes warmed for a pool: every size up to 64, then the powers of two and the maximum. */
    static List<Integer> batchSizes(int maxBatchSize) {
        List<Integer> sizes = new ArrayList<>();
        for (int size = 1; size <= maxBatchSize; size = size < EVERY_SIZE_UP_TO ? size + 1 : size * 2) {
            sizes.add(size);
        }
        if (sizes.get(sizes.size() - 1) != maxBatchSize) {
            sizes.add(maxBatchSize);
        }
        return sizes;
    }

    /** The input's shape with dimension 0 = {@code batch} when free, other free dimensions {@link #FREE_LENGTH}. */
    public static long[] shape(TensorSpec input, long batch) {
        long[] shape = input.hasShape() ? input.shape().clone() : new long[] {batch, FREE_LENGTH};
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                shape[i] = i == 0 ? batch : FREE_LENGTH;
            }
        }
        return shape;
    }

    private static HostTensor zeros(DataType dtype, long[] shape) {
        long bytes = HostTensor.elementCount(shape) * dtype.getNumOfBytes();
        return new HostTensor(dtype, shape, HostTensor.heap(bytes));
    }
}
