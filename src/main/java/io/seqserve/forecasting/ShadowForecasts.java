package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelVersion;
import io.seqserve.series.Fill;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;

/**
 * Copies of bare-name forecasts for the {@code shadow} label's version, sent once the answer is out so they add
 * nothing to its latency; recorded under the same forecast id, so the same actuals score both versions. At most
 * {@code seqserve.forecasting.shadow-max-in-flight} run at once: a copy beyond that, or one the shadow's queue
 * refuses, is dropped; every copy is counted by outcome ({@code completed}, {@code dropped}, {@code failed}).
 */
@Component
class ShadowForecasts {

    static final String ROUTE = "shadow";

    private final ForecastLegs legs;
    private final ForecastRecords records;
    private final ForecastMetrics metrics;
    private final Semaphore slots;

    ShadowForecasts(
            ForecastLegs legs, ForecastRecords records, ForecastMetrics metrics, ForecastingProperties properties) {
        this.legs = legs;
        this.records = records;
        this.metrics = metrics;
        this.slots = new Semaphore(properties.shadowMaxInFlight());
    }

    /** Starts a copy of a forecast on {@code shadow}, or drops it when too many are running; never throws. */
    void submit(ModelVersion shadow, List<Series> series, int horizon, Fill fill, String forecastId, Instant created) {
        String model = shadow.name();
        if (!slots.tryAcquire()) {
            metrics.shadow(model, "dropped");
            return;
        }
        List<Integer> all = IntStream.range(0, series.size()).boxed().toList();
        CompletableFuture<ForecastLegs.Leg> leg;
        try {
            leg = legs.run(new ModelRef(model, shadow.version(), null), ROUTE, all, series, horizon, fill);
        } catch (RuntimeException e) {
            leg = CompletableFuture.failedFuture(e);
        }
        leg.whenComplete((done, error) -> {
            slots.release();
            if (error == null) {
                records.record(forecastId, done, horizon, created);
                metrics.shadow(model, "completed");
            } else {
                metrics.shadow(model, refused(error) ? "dropped" : "failed");
            }
        });
    }

    /** A full queue, a passed deadline or a version on its way out: load, not a fault of the shadow model. */
    private static boolean refused(Throwable error) {
        String outcome = Failure.outcome(error);
        return outcome.equals("rejected") || outcome.equals("deadline") || outcome.equals("unavailable");
    }
}
