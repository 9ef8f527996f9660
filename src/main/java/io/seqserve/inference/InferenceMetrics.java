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
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    InferenceMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(String model, String version, String api, Throwable error, long startNanos) {
        String outcome = Failure.outcome(error);
        String key = model + '\0' + version + '\0' + api + '\0' + outcome;
        counters.computeIfAbsent(
                        key,
                        k -> Counter.builder("seqserve.requests")
                                .description("Model requests by outcome")
                                .tag("model", model)
                                .tag("version", version)
                                .tag("api", api)
                                .tag("outcome", outcome)
                                .register(meters))
                .increment();
        timers.computeIfAbsent(
                        model + '\0' + api + '\0' + outcome,
                        k -> Timer.builder("seqserve.request.duration")
                                .description("Model request latency, queueing included")
                                .tag("model", model)
                                .tag("api", api)
                                .tag("outcome", outcome)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(100_000))
                                .maximumExpectedValue(Duration.ofSeconds(30))
                                .register(meters))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
