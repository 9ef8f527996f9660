package io.seqserve.training;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Training jobs and data sets ({@code seqserve.training.*}).
 *
 * @param concurrentJobs jobs running at once on each device (cpu, gpu0, ...); the rest wait queued
 * @param threadsPerJob PyTorch intra-op threads of one training job, so serving keeps the other cores
 * @param maxQueuedJobs queued jobs accepted before new submissions get 429
 * @param maxDatasetSize largest data set upload
 * @param maxGridSize largest search grid (product of the value lists)
 * @param maxEpochs upper bound for {@code training.epochs}
 * @param eventsTimeout how long one {@code /events} stream may stay open
 * @param eventsHeartbeat how long an {@code /events} stream may be quiet before a comment frame keeps it open
 * @param stopTimeout how long shutdown waits for running jobs to checkpoint and stop
 * @param maxMissingFraction the share of a series' values that may be missing (filled in by interpolation);
 *     above it, or when a part of the split has no real value, a job is refused with 422
 */
@ConfigurationProperties("seqserve.training")
public record TrainingProperties(
        @DefaultValue("1") int concurrentJobs,
        @DefaultValue("1") int threadsPerJob,
        @DefaultValue("32") int maxQueuedJobs,
        @DefaultValue("64MB") DataSize maxDatasetSize,
        @DefaultValue("16") int maxGridSize,
        @DefaultValue("1000") int maxEpochs,
        @DefaultValue("30m") Duration eventsTimeout,
        @DefaultValue("15s") Duration eventsHeartbeat,
        @DefaultValue("20s") Duration stopTimeout,
        @DefaultValue("0.5") double maxMissingFraction) {

    public TrainingProperties {
        if (concurrentJobs < 1 || threadsPerJob < 1 || maxQueuedJobs < 1 || maxGridSize < 1 || maxEpochs < 1) {
            throw new IllegalArgumentException(
                    "seqserve.training: concurrent-jobs, threads-per-job, max-queued-jobs, max-grid-size and max-epochs must be >= 1");
        }
        if (!(maxMissingFraction >= 0 && maxMissingFraction <= 1)) {
            throw new IllegalArgumentException("seqserve.training.max-missing-fraction must be in [0, 1]");
        }
        if (eventsHeartbeat.isNegative() || eventsHeartbeat.isZero()) {
            throw new IllegalArgumentException("seqserve.training.events-heartbeat must be positive");
        }
    }
}
