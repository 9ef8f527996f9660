package io.seqserve.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Forms batches for one worker: the first waiting request, then more that stack with it until
 * the batch holds {@code maxBatchSize} rows or {@code maxDelay} has passed. A request of another shape
 * is carried over to start the next batch, so nothing is reordered behind more than one batch.
 * Used by a single thread.
 */
final class Batcher {

    private final BlockingQueue<InferenceJob> queue;
    private final BatchPolicy policy;
    private InferenceJob carry;

    Batcher(BlockingQueue<InferenceJob> queue, BatchPolicy policy) {
        this.queue = queue;
        this.policy = policy;
    }

    List<InferenceJob> next(long idleWaitMs) throws InterruptedException {
        InferenceJob first = carry != null ? carry : queue.poll(idleWaitMs, TimeUnit.MILLISECONDS);
        carry = null;
        if (first == null) {
            return List.of();
        }
        List<InferenceJob> batch = new ArrayList<>();
        batch.add(first);
        long rows = first.rows;
        long delayNanos = policy.maxDelay().toNanos();
        long until = System.nanoTime() + delayNanos;
        while (rows < policy.maxBatchSize()) {
            InferenceJob next = delayNanos == 0
                    ? queue.poll()
                    : queue.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            if (!next.stacksWith(first) || rows + next.rows > policy.maxBatchSize()) {
                carry = next;
                break;
            }
            batch.add(next);
            rows += next.rows;
        }
        return batch;
    }

    boolean hasCarry() {
        return carry != null;
    }

    List<InferenceJob> drainCarry() {
        List<InferenceJob> left = carry == null ? List.of() : List.of(carry);
        carry = null;
        return left;
    }
}
