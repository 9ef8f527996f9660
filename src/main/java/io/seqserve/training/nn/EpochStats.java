package io.seqserve.training.nn;

/**
 * One finished epoch, as kept in a job's {@code history}. Losses are the training objective (MSE on
 * scaled values for forecasting, cross-entropy for text); throughput counts training examples over the
 * whole epoch including validation and the checkpoint.
 */
public record EpochStats(
        int epoch,
        double trainLoss,
        double valLoss,
        double bestValLoss,
        double samplesPerSecond,
        double durationSeconds) {}
