package io.seqserve.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One queued request: its input tensors in the model's input order, all with the same number of rows,
 * and the future its caller waits on. Requests that {@link #stacksWith} each other can share a forward pass.
 */
final class InferenceJob {

    final List<HostTensor> inputs;
    final long rows;
    final long deadlineNanos;
    final long enqueuedNanos;
    final CompletableFuture<List<HostTensor>> result = new CompletableFuture<>();

    InferenceJob(List<HostTensor> inputs, long deadlineNanos) {
        this.inputs = inputs;
        this.rows = inputs.isEmpty() || inputs.get(0).rank() == 0
                ? 1
                : inputs.get(0).dim(0);
        this.deadlineNanos = deadlineNanos;
        this.enqueuedNanos = System.nanoTime();
    }

    /** True when every input of this request stacks with the same input of {@code other}. */
    boolean stacksWith(InferenceJob other) {
        if (inputs.size() != other.inputs.size()) {
            return false;
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).stacksWith(other.inputs.get(i))) {
                return false;
            }
        }
        return true;
    }

    boolean expired(long now) {
        return now - deadlineNanos > 0;
    }
}
