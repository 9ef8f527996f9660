package io.seqserve.forecasting;

import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.series.Fill;
import io.seqserve.series.Rollout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * Runs one version's part of a forecast (a leg): the series a route sends to that version, leased for all the
 * passes, prepared as the version's model reads them and rolled forward over its worker queue. A bare name's
 * forecast is one leg, or two when a canary takes some series; a shadow copy is one more.
 */
@Component
class ForecastLegs {

    /** What a leg produced: the request's positions of its series, the series as filled, the output. */
    record Leg(String route, ForecastModel model, List<Integer> positions, List<Series> ready, Forecaster.Output out) {}

    private final Inference inference;
    private final Forecaster forecaster;
    private final ForecastMetrics metrics;
    private final ForecastingProperties properties;

    ForecastLegs(
            Inference inference, Forecaster forecaster, ForecastMetrics metrics, ForecastingProperties properties) {
        this.inference = inference;
        this.forecaster = forecaster;
        this.metrics = metrics;
        this.properties = properties;
    }

    /**
     * Forecasts the series at {@code positions} on the version {@code ref} names, under {@code route}; throws
     * when the version cannot be leased, fails the future when a series does not fit the model.
     */
    CompletableFuture<Leg> run(
            ModelRef ref, String route, List<Integer> positions, List<Series> series, int horizon, Fill fill) {
        String operation = route.equals(ShadowForecasts.ROUTE) ? ShadowForecasts.ROUTE : "forecast";
        return inference.within(
                ref,
                "forecast",
                session -> metrics.timed(session.version().name(), operation, () -> {
                    ForecastModel model = ForecastModel.of(session.version(), properties);
                    model.checkHorizon(horizon);
                    List<Series> ready = new ArrayList<>();
                    for (int i : positions) {
                        Series filled = model.prepare(series.get(i), fill, 1);
                        model.checkFuture(filled, horizon);
                        ready.add(filled);
                    }
                    List<Rollout.Origin> origins = ready.stream()
                            .map(s -> new Rollout.Origin(model.frame(s), s.length()))
                            .toList();
                    List<String> fields = ready.stream().map(Series::field).toList();
                    return forecaster
                            .forecast(session, model, origins, fields, horizon)
                            .thenApply(out -> {
                                metrics.routed(model.name(), model.version(), route, ready.size());
                                return new ForecastMetrics.Done<>(
                                        new Leg(route, model, positions, ready, out),
                                        ready.size(),
                                        horizon,
                                        out.passes());
                            });
                }));
    }
}
