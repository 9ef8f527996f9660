package io.seqserve.forecasting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seqserve.Failure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * {@code seqserve_forecast_*}: per request that reached a model, its latency by outcome
 * ({@link Failure#outcome}), and how many series, horizon steps and forward passes it had. Tags: model,
 * operation (forecast, backtest, calibrate, shadow). The passes themselves are counted by {@code inference}.
 * Routing: series forecast per version and route ({@code seqserve_forecast_routed_series_total}), shadow copies by
 * outcome, canary legs that fell back to production.
 */
@Component
class ForecastMetrics {

    /** What an operation produced, with the sizes that go into the metrics. */
    record Done<T>(T body, int series, int horizon, int passes) {}

    private final MeterRegistry meters;

    ForecastMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Runs {@code operation} on {@code model} and records how it ended, whether it throws or its future fails. */
    <T> CompletableFuture<T> timed(String model, String operation, Supplier<CompletableFuture<Done<T>>> work) {
        long start = System.nanoTime();
        CompletableFuture<Done<T>> pending;
        try {
            pending = work.get();
        } catch (RuntimeException e) {
            timer(model, operation, Failure.outcome(e)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
        return pending.whenComplete((done, error) -> {
                    timer(model, operation, Failure.outcome(error))
                            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    if (done != null) {
                        summary("seqserve.forecast.series", "Series per request", model, operation)
                                .record(done.series());
                        summary("seqserve.forecast.horizon", "Horizon steps per request", model, operation)
                                .record(done.horizon());
                        summary("seqserve.forecast.forward.passes", "Forward passes per request", model, operation)
                                .record(done.passes());
                    }
                })
                .thenApply(Done::body);
    }

    private Timer timer(String model, String operation, String outcome) {
        return Timer.builder("seqserve.forecast.duration")
                .description("Latency of forecasting requests, all passes included")
                .tag("model", model)
                .tag("operation", operation)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }

    private DistributionSummary summary(String name, String description, String model, String operation) {
        return DistributionSummary.builder(name)
                .description(description)
                .tag("model", model)
                .tag("operation", operation)
                .register(meters);
    }

    /** {@code count} series forecast by {@code version} under {@code route} (production, canary, shadow, direct). */
    void routed(String model, long version, String route, int count) {
        Counter.builder("seqserve.forecast.routed.series")
                .description("Series forecast, by the version that forecast them and how the request reached it")
                .tag("model", model)
                .tag("version", String.valueOf(version))
                .tag("route", route)
                .register(meters)
                .increment(count);
    }

    /** A shadow copy that completed, was dropped (too many running, or its queue full) or failed. */
    void shadow(String model, String outcome) {
        Counter.builder("seqserve.forecast.shadow.requests")
                .description("Shadow copies of forecasts by outcome (completed, dropped, failed)")
                .tag("model", model)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }

    /** A canary's series forecast by production instead, because the canary could not take them. */
    void canaryFallback(String model) {
        Counter.builder("seqserve.forecast.canary.fallbacks")
                .description("Canary parts of forecasts answered by production instead")
                .tag("model", model)
                .register(meters)
                .increment();
    }
}
