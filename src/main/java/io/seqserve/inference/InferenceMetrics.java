package io.seqserve.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seqserve.Failure;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * {@code seqserve_requests_total} and {@code seqserve_request_duration_seconds}: one count per forward
 * pass a feature asked for (a {@code :predict} call, a forecast step, a decoding step), tagged by model,
 * version, api and outcome ({@link Failure#outcome}). A call whose model does not exist is tagged
 * {@code model="unknown"}: a name a client made up never becomes a tag value.
 */
@Component
class InferenceMetrics {

    static final String UNKNOWN = "unknown";
    static final String NO_VERSION = "none";

    private final MeterRegistry meters;
    private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    /** A meter's tags as a key: hashing it combines the strings' cached hashes, nothing is built per call. */
    private record Key(String model, String version, String api, String outcome) {}

    InferenceMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(String model, String version, String api, Throwable error, long startNanos) {
        String outcome = Failure.outcome(error);
        Counter counter = counters.get(new Key(model, version, api, outcome));
        if (counter == null) {
            counter = counters.computeIfAbsent(
                    new Key(model, version, api, outcome),
                    k -> Counter.builder("seqserve.requests")
                            .description("Model requests by outcome")
                            .tag("model", model)
                            .tag("version", version)
                            .tag("api", api)
                            .tag("outcome", outcome)
                            .register(meters));
        }
        counter.increment();
        Timer timer = timers.get(new Key(model, null, api, outcome));
        if (timer == null) {
            timer = timers.computeIfAbsent(
                    new Key(model, null, api, outcome),
                    k -> Timer.builder("seqserve.request.duration")
                            .description("Model request latency, queueing included")
                            .tag("model", model)
                            .tag("api", api)
                            .tag("outcome", outcome)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(100_000))
                            .maximumExpectedValue(Duration.ofSeconds(30))
                            .register(meters));
        }
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
