package io.seqserve.runtime;

import java.time.Duration;

/**
 * How a worker pool batches: up to {@code maxBatchSize} rows per forward pass, waiting at most
 * {@code maxDelay} for more requests once one has arrived (zero: take only what is already queued),
 * with at most {@code queueCapacity} requests waiting.
 */
public record BatchPolicy(int maxBatchSize, Duration maxDelay, int queueCapacity) {

    public BatchPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max_batch_size must be >= 1");
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("max_delay_ms must be >= 0");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1");
        }
    }

    public BatchPolicy withMaxBatchSize(int size) {
        return new BatchPolicy(size, maxDelay, queueCapacity);
    }
}
