package io.seqserve.training;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seqserve.training.nn.EpochStats;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Training meters: jobs by status, epoch duration by task, and per model the newest epoch's losses and
 * throughput ({@code seqserve_training_*} in Prometheus). Tagged by model name, never by job id.
 */
@Component
class TrainingMetrics {

    private final MeterRegistry meters;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    /** The newest epoch's numbers of one model. */
    private static final class Latest {
        volatile double trainLoss = Double.NaN;
        volatile double valLoss = Double.NaN;
        volatile double samplesPerSecond = Double.NaN;
    }

    TrainingMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void bindJobs(Supplier<Collection<Job>> jobs) {
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder(
                            "seqserve.training.jobs",
                            () -> jobs.get().stream()
                                    .filter(j -> j.status() == status)
                                    .count())
                    .description("Training jobs by status")
                    .tag("status", status.id())
                    .register(meters);
        }
    }

    void epoch(String model, String task, EpochStats stats) {
        Timer.builder("seqserve.training.epoch.duration")
                .description("Wall time of one training epoch, validation included")
                .tag("task", task)
                .register(meters)
                .record(Duration.ofNanos((long) (stats.durationSeconds() * 1e9)));
        Latest values = latest.computeIfAbsent(model, this::register);
        values.trainLoss = stats.trainLoss();
        values.valLoss = stats.valLoss();
        values.samplesPerSecond = stats.samplesPerSecond();
    }

    private Latest register(String model) {
        Latest values = new Latest();
        Gauge.builder("seqserve.training.loss", values, v -> v.trainLoss)
                .description("Training loss of the newest epoch")
                .tag("model", model)
                .tag("split", "train")
                .register(meters);
        Gauge.builder("seqserve.training.loss", values, v -> v.valLoss)
                .description("Training loss of the newest epoch")
                .tag("model", model)
                .tag("split", "validation")
                .register(meters);
        Gauge.builder("seqserve.training.samples.per.second", values, v -> v.samplesPerSecond)
                .description("Training examples per second in the newest epoch")
                .tag("model", model)
                .register(meters);
        return values;
    }
}
