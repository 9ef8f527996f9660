package io.seqserve.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One queued request: its input tensors in the model's input order, all with the same number of rows,
 * and the future its caller waits on. Requests with the same {@link #stackKey} can share a forward pass.
 */
final class InferenceJob {

    final List<HostTensor> inputs;
    final long rows;
    final String stackKey;
    final long deadlineNanos;
    final long enqueuedNanos;
    final CompletableFuture<List<HostTensor>> result = new CompletableFuture<>();

    InferenceJob(List<HostTensor> inputs, long deadlineNanos) {
        this.inputs = inputs;
        this.rows = inputs.isEmpty() || inputs.get(0).rank() == 0
                ? 1
                : inputs.get(0).dim(0);
        StringBuilder key = new StringBuilder();
        for (HostTensor input : inputs) {
            key.append(input.stackKey()).append(';');
        }
        this.stackKey = key.toString();
        this.deadlineNanos = deadlineNanos;
        this.enqueuedNanos = System.nanoTime();
    }

    boolean expired(long now) {
        return now - deadlineNanos > 0;
    }
}
