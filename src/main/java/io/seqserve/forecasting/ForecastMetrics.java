package io.seqserve.forecasting;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.seqserve.Failure;
import io.seqserve.Throwables;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code seqserve_forecast_*}: per request that reached a model, its latency by outcome, and how many
 * series, horizon steps and forward passes it had. Tags: model, operation (forecast, backtest, calibrate).
 */
@Component
class ForecastMetrics {

    private final MeterRegistry meters;

    ForecastMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void succeeded(String model, String operation, long startNanos, int series, int horizon, int passes) {
        timer(model, operation, "success").record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        summary("seqserve.forecast.series", "Series per request", model, operation).record(series);
        summary("seqserve.forecast.horizon", "Horizon steps per request", model, operation).record(horizon);
        summary("seqserve.forecast.forward.passes", "Forward passes per request", model, operation).record(passes);
    }

    void failed(String model, String operation, long startNanos, Throwable error) {
        Throwable cause = Throwables.unwrap(error);
        String outcome = Failure.outcome(cause);
        timer(model, operation, outcome).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String model, String operation, String outcome) {
        return Timer.builder("seqserve.forecast.duration").description("Latency of forecasting requests, all passes included")
                .tag("model", model).tag("operation", operation).tag("outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(meters);
    }

    private DistributionSummary summary(String name, String description, String model, String operation) {
        return DistributionSummary.builder(name).description(description).tag("model", model).tag("operation", operation)
                .register(meters);
    }
}
