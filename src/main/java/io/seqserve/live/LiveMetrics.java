package io.seqserve.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Meters of live sessions, tagged only by task, reason and operation (fixed vocabularies): how many are held
 * and their bytes, how they start and end, what they cost per call, how full the shared passes are, snapshots.
 */
@Component
class LiveMetrics {

    private final MeterRegistry meters;
    private final Map<String, AtomicLong> held = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final DistributionSummary stepRows;
    private final Timer snapshot;

    LiveMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.stepRows = DistributionSummary.builder("seqserve.session.step.rows")
                .description("Session steps per shared forward pass")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
                .register(meters);
        this.snapshot = Timer.builder("seqserve.session.snapshot.duration")
                .description("Time to write the changed sessions' snapshots")
                .register(meters);
    }

    /** Binds the gauges of the whole store: total state bytes. */
    <T> void bind(T store, ToDoubleFunction<T> bytes) {
        Gauge.builder("seqserve.sessions.state", store, bytes)
                .description("Bytes of state held by live sessions")
                .baseUnit("bytes")
                .register(meters);
    }

    /** A session of {@code task} started (created, forked or restored). */
    void started(String task, String how) {
        gauge(task).incrementAndGet();
        counter("seqserve.sessions.started", "Live sessions started", "task", task, "how", how)
                .increment();
    }

    void ended(String task, Ended.Reason reason) {
        gauge(task).decrementAndGet();
        counter("seqserve.sessions.ended", "Live sessions ended", "task", task, "reason", reason.id)
                .increment();
    }

    /** One call on a session: its outcome tag and how long it took. */
    void operation(String task, String operation, String outcome, long nanos) {
        timers.computeIfAbsent(
                        task + '\0' + operation + '\0' + outcome,
                        k -> Timer.builder("seqserve.session.operation.duration")
                                .description("Live session calls, forward passes included")
                                .tag("task", task)
                                .tag("operation", operation)
                                .tag("outcome", outcome)
                                .publishPercentileHistogram()
                                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time steps a session took in (observations, tokens). */
    void observed(String task, long steps) {
        counter("seqserve.session.observations", "Time steps live sessions took in", "task", task, null, null)
                .increment(steps);
    }

    void pass(int rows) {
        stepRows.record(rows);
    }

    void snapshot(long nanos, int written) {
        snapshot.record(nanos, TimeUnit.NANOSECONDS);
        counter("seqserve.session.snapshots.written", "Session snapshots written", null, null, null, null)
                .increment(written);
    }

    private AtomicLong gauge(String task) {
        return held.computeIfAbsent(task, t -> {
            AtomicLong n = new AtomicLong();
            Gauge.builder("seqserve.sessions", n, AtomicLong::get)
                    .description("Live sessions held")
                    .tag("task", t)
                    .register(meters);
            return n;
        });
    }

    private Counter counter(String name, String description, String k1, String v1, String k2, String v2) {
        return counters.computeIfAbsent(name + '\0' + v1 + '\0' + v2, k -> {
            Counter.Builder b = Counter.builder(name).description(description);
            if (k1 != null) {
                b.tag(k1, v1);
            }
            if (k2 != null) {
                b.tag(k2, v2);
            }
            return b.register(meters);
        });
    }
}
