package io.seqserve.forecasting;

import io.seqserve.registry.Lease;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;

import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Runs one forecasting operation on one version: leases what the ref names for the whole operation (so all
 * its forward passes, and a calibration's manifest write, use that version even during a hot swap), reads
 * the version as a {@link ForecastModel}, releases it at the end and records the metrics.
 */
@Component
class ForecastCalls {

    /** What an operation produced, with the sizes that go into the metrics. */
    record Done<T>(T body, int series, int horizon, int passes) {}

    private final ModelRegistry registry;
    private final ForecastingProperties properties;
    private final ForecastMetrics metrics;

    ForecastCalls(ModelRegistry registry, ForecastingProperties properties, ForecastMetrics metrics) {
        this.registry = registry;
        this.properties = properties;
        this.metrics = metrics;
    }

    <T> CompletableFuture<T> run(ModelRef ref, String operation,
            BiFunction<Lease, ForecastModel, CompletableFuture<Done<T>>> work) {
        long start = System.nanoTime();
        Lease lease = registry.lease(ref.name(), ref.version(), ref.label());
        String model = lease.version().name();
        CompletableFuture<Done<T>> pending;
        try {
            pending = work.apply(lease, ForecastModel.of(lease.version(), properties));
        } catch (RuntimeException e) {
            lease.close();
            metrics.failed(model, operation, start, e);
            throw e;
        }
        return pending.whenComplete((done, error) -> {
            lease.close();
            if (error != null) {
                metrics.failed(model, operation, start, error);
            } else {
                metrics.succeeded(model, operation, start, done.series(), done.horizon(), done.passes());
            }
        }).thenApply(Done::body);
    }
}
