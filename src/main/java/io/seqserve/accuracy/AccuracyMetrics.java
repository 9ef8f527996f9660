package io.seqserve.accuracy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seqserve.series.Conformal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The accuracy meters, as counters so that Prometheus computes any window ({@code increase}, {@code rate}) and
 * replicas add up: per model, version, target and horizon step ({@code step} 1..{@code steps}, then one
 * {@code "<steps+1>+"} for the rest) the scored points and their absolute and squared errors and the naive
 * forecast's absolute errors; per level the points with an interval and those inside it, with the level's
 * nominal coverage as a gauge to compare against; actuals by outcome; the newest actuals' time. Every tag
 * value is a registry name, a version, a target of the model's manifest, a configured level or a bounded step.
 * Points replayed from the log at start are not counted again.
 */
@Component
class AccuracyMetrics {

    private record Key(String model, long version, String target, String step) {}

    private final MeterRegistry meters;
    private final List<Double> levels;
    private final int steps;
    private final Map<Key, Counter[]> points = new ConcurrentHashMap<>();
    private final Map<Key, Counter[]> intervals = new ConcurrentHashMap<>();

    AccuracyMetrics(MeterRegistry meters, AccuracyProperties properties) {
        this.meters = meters;
        this.levels = properties.levels();
        this.steps = properties.steps();
        for (double level : levels) {
            Gauge.builder("seqserve.forecast.interval.nominal", () -> level / 100)
                    .description("Nominal coverage of an interval level: the share of actuals it should hold")
                    .baseUnit("ratio")
                    .tag("level", Conformal.key(level))
                    .register(meters);
        }
    }

    String stepTag(int step) {
        return step <= steps ? String.valueOf(step) : (steps + 1) + "+";
    }

    void scored(String model, ModelBook.Point p) {
        Counter[] c = points.computeIfAbsent(new Key(model, p.version(), p.target(), stepTag(p.step())), this::points);
        c[0].increment();
        c[1].increment(Math.abs(p.error()));
        c[2].increment(p.error() * p.error());
        c[3].increment(Math.abs(p.naiveError()));
        for (int l = 0; l < levels.size(); l++) {
            if (p.inside()[l] != null) {
                Counter[] i = intervals.computeIfAbsent(
                        new Key(model, p.version(), p.target(), Conformal.key(levels.get(l))), this::intervals);
                i[0].increment();
                if (p.inside()[l]) {
                    i[1].increment();
                }
            }
        }
    }

    private Counter[] points(Key k) {
        return new Counter[] {
            counter("seqserve.forecast.scored.points", "Forecast points scored against actuals", k, "step"),
            counter("seqserve.forecast.absolute.error", "Sum of absolute errors of the scored points", k, "step"),
            counter("seqserve.forecast.squared.error", "Sum of squared errors of the scored points", k, "step"),
            counter(
                    "seqserve.forecast.naive.absolute.error",
                    "Sum of absolute errors of the naive forecast (the last value) on the same points",
                    k,
                    "step")
        };
    }

    private Counter[] intervals(Key k) {
        return new Counter[] {
            counter("seqserve.forecast.interval.points", "Scored points that had an interval at the level", k, "level"),
            counter(
                    "seqserve.forecast.interval.covered",
                    "Scored points inside their interval at the level",
                    k,
                    "level")
        };
    }

    private Counter counter(String name, String description, Key k, String lastTag) {
        return Counter.builder(name)
                .description(description)
                .tag("model", k.model())
                .tag("version", String.valueOf(k.version()))
                .tag("target", k.target())
                .tag(lastTag, k.step())
                .register(meters);
    }

    /** Rows of actuals by outcome (matched, duplicate, late, unmatched). */
    void actuals(String model, long[] counts) {
        for (ModelBook.Outcome outcome : ModelBook.Outcome.values()) {
            Counter counter = Counter.builder("seqserve.forecast.actuals")
                    .description("Rows of actual values received, by outcome (matched, duplicate, late, unmatched)")
                    .tag("model", model)
                    .tag("outcome", outcome.id())
                    .register(meters);
            counter.increment(counts[outcome.ordinal()]);
        }
    }

    /** The time of the newest actuals of {@code model}, read from its book (restored by the log's replay). */
    void lastActual(String model, Supplier<Number> epochMillis) {
        Gauge.builder(
                        "seqserve.forecast.actuals.last.received.timestamp",
                        () -> epochMillis.get().doubleValue() / 1000)
                .description("When the newest actuals of the model were received (Unix time)")
                .baseUnit("seconds")
                .tag("model", model)
                .register(meters);
    }

    /** Log entries not written because the writer's queue was full ({@code kind}: forecast). */
    void dropped(String kind) {
        Counter.builder("seqserve.forecast.log.dropped")
                .description("Forecast log entries dropped because the log writer was behind")
                .tag("kind", kind)
                .register(meters)
                .increment();
    }

    void log(Supplier<Number> bytes, Supplier<Number> indexed) {
        Gauge.builder("seqserve.forecast.log.size", bytes)
                .description("Size of the forecast log on disk")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("seqserve.forecast.log.forecasts", indexed)
                .description("Logged series forecasts held in memory for matching actuals")
                .register(meters);
    }
}
