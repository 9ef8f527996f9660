package io.seqserve.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Meters of one worker pool, tagged model/version/device, removed again when the pool closes so an
 * unloaded version leaves no stale series behind.
 */
public final class PoolMeters {

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private final DistributionSummary batchSize;
    private final Timer queueWait;
    private final Timer forward;
    private final Counter queueFull;
    private final Counter deadline;

    public PoolMeters(MeterRegistry registry, String model, String version, String device) {
        this.registry = registry;
        this.tags = Tags.of("model", model, "version", version, "device", device);
        this.batchSize = keep(DistributionSummary.builder("seqserve.batch.size")
                .description("Requests per forward pass")
                .tags(tags)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry));
        this.queueWait = keep(Timer.builder("seqserve.queue.wait")
                .description("Time a request waited in the queue")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
        this.forward = keep(Timer.builder("seqserve.inference.duration")
                .description("Duration of one forward pass")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
        this.queueFull = keep(rejectedCounter("queue_full"));
        this.deadline = keep(rejectedCounter("deadline"));
    }

    void bindQueue(Supplier<Number> depth, Supplier<Number> busyWorkers) {
        keep(Gauge.builder("seqserve.queue.depth", depth)
                .description("Requests waiting in the queue")
                .tags(tags)
                .register(registry));
        keep(Gauge.builder("seqserve.workers.busy", busyWorkers)
                .description("Workers running a forward pass")
                .tags(tags)
                .register(registry));
    }

    void batch(int requests, long nanos) {
        batchSize.record(requests);
        forward.record(nanos, TimeUnit.NANOSECONDS);
    }

    void queueWait(long nanos) {
        queueWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    void rejected() {
        queueFull.increment();
    }

    void expired() {
        deadline.increment();
    }

    void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private Counter rejectedCounter(String reason) {
        return Counter.builder("seqserve.requests.rejected")
                .description("Requests refused before a forward pass")
                .tags(tags)
                .tag("reason", reason)
                .register(registry);
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }
}
