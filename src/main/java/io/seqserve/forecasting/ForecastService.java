package io.seqserve.forecasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.Routing;
import io.seqserve.series.Conformal;
import io.seqserve.series.Fill;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/**
 * {@code :forecast}: many series, one horizon, optional conformal intervals, every target of the model. A bare
 * name's series go to its serving version, or to the {@code canary} label's version for the share of series ids
 * its weight says ({@link Routing}); a {@code shadow} version gets a copy once the answer is out
 * ({@link ShadowForecasts}). Each forecast gets a {@code forecast_id} and is recorded for scoring against actuals.
 */
@Service
class ForecastService {

    static final String PRODUCTION = "production";
    static final String DIRECT = "direct";
    static final String CANARY = "canary";

    /** The answer: per series and target, the mean and, when asked for and calibrated, intervals per level. */
    record ForecastResponse(
            String model,
            long version,
            String forecastId,
            List<SeriesForecast> forecasts,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {}

    /**
     * {@code target} names the variable when the manifest names its targets (absent for the legacy form);
     * {@code version} is set when a version other than the answer's (a canary) forecast this series.
     */
    record SeriesForecast(
            String id,
            @JsonInclude(JsonInclude.Include.NON_NULL) String target,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long version,
            double[] mean,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Conformal.Band> intervals) {}

    private final ForecastLegs legs;
    private final ForecastMetrics metrics;
    private final ForecastExecutors executors;
    private final ForecastingProperties properties;
    private final ModelRegistry registry;
    private final ForecastRecords records;
    private final ShadowForecasts shadows;

    ForecastService(
            ForecastLegs legs,
            ForecastMetrics metrics,
            ForecastExecutors executors,
            ForecastingProperties properties,
            ModelRegistry registry,
            ForecastRecords records,
            ShadowForecasts shadows) {
        this.legs = legs;
        this.metrics = metrics;
        this.executors = executors;
        this.properties = properties;
        this.registry = registry;
        this.records = records;
        this.shadows = shadows;
    }

    CompletableFuture<ForecastResponse> forecast(ModelRef ref, ForecastRequests.ForecastRequest request) {
        List<Series> series = ForecastRequests.read(request, properties);
        int horizon = ForecastRequests.horizon(request.horizon(), properties);
        List<Double> levels = ForecastRequests.levels(request.level());
        String forecastId = ForecastIds.next();
        Instant created = Instant.now();
        Routing routing = routing(ref);
        List<Integer> all = IntStream.range(0, series.size()).boxed().toList();
        List<CompletableFuture<ForecastLegs.Leg>> parts = new ArrayList<>();
        if (routing == null) {
            String route = ref.version() == null && ref.label() == null ? PRODUCTION : DIRECT;
            parts.add(legs.run(ref, route, all, series, horizon, request.fill()));
        } else {
            Map<Boolean, List<Integer>> toCanary = all.stream()
                    .collect(Collectors.partitioningBy(
                            i -> routing.toCanary(series.get(i).id())));
            if (!toCanary.get(false).isEmpty()) {
                parts.add(legs.run(ref, PRODUCTION, toCanary.get(false), series, horizon, request.fill()));
            }
            if (!toCanary.get(true).isEmpty()) {
                parts.add(canaryLeg(ref, routing, toCanary.get(true), series, horizon, request.fill()));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApplyAsync(
                        ignored -> {
                            List<ForecastLegs.Leg> done =
                                    parts.stream().map(CompletableFuture::join).toList();
                            done.forEach(leg -> records.record(forecastId, leg, horizon, created));
                            if (routing != null && routing.shadow() != null) {
                                shadows.submit(routing.shadow(), series, horizon, request.fill(), forecastId, created);
                            }
                            return answer(forecastId, series.size(), done, levels);
                        },
                        executors.continuations());
    }

    /** The bare name's routing; null for a version or label named, or a name the registry does not hold. */
    private Routing routing(ModelRef ref) {
        if (ref.version() != null || ref.label() != null || !registry.has(ref.name())) {
            return null;
        }
        try {
            return registry.routing(ref.name());
        } catch (Failure e) {
            return null;
        }
    }

    /**
     * The canary's series; when the canary cannot take them (it stopped serving, or cannot read them) they go
     * to the production version instead, so a canary never fails a request production would answer.
     */
    private CompletableFuture<ForecastLegs.Leg> canaryLeg(
            ModelRef ref, Routing routing, List<Integer> positions, List<Series> series, int horizon, Fill fill) {
        ModelRef canary = new ModelRef(ref.name(), routing.canary().version(), null);
        CompletableFuture<ForecastLegs.Leg> leg;
        try {
            leg = legs.run(canary, CANARY, positions, series, horizon, fill);
        } catch (Failure e) {
            leg = CompletableFuture.failedFuture(e);
        }
        return leg.exceptionallyCompose(e -> {
            metrics.canaryFallback(ref.name());
            return legs.run(ref, PRODUCTION, positions, series, horizon, fill);
        });
    }

    private static ForecastResponse answer(
            String forecastId, int count, List<ForecastLegs.Leg> legs, List<Double> levels) {
        Set<String> warnings = new LinkedHashSet<>();
        ForecastLegs.Leg[] byPosition = new ForecastLegs.Leg[count];
        int[] index = new int[count];
        for (ForecastLegs.Leg leg : legs) {
            warnings.addAll(leg.model().warnings(leg.ready()));
            for (int k = 0; k < leg.positions().size(); k++) {
                byPosition[leg.positions().get(k)] = leg;
                index[leg.positions().get(k)] = k;
            }
        }
        ForecastModel first = byPosition[0].model();
        List<SeriesForecast> forecasts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ForecastLegs.Leg leg = byPosition[i];
            ForecastModel model = leg.model();
            boolean intervals = !levels.isEmpty() && model.calibrated();
            if (!levels.isEmpty() && !intervals) {
                warnings.add("no intervals: model '" + model.name() + "' version " + model.version() + " has no "
                        + "conformal residuals in its manifest; store them with :calibrate (models trained by "
                        + "seqserve have them)");
            }
            Long version = model.version() == first.version() ? null : model.version();
            for (int j = 0; j < model.layout().targetCount(); j++) {
                double[] mean = model.bounds().clip(leg.out().means()[index[i]][j]);
                Conformal conformal = model.conformal().get(j);
                if (intervals && conformal.isEmpty()) {
                    warnings.add("no intervals for target '" + model.targetName(j) + "': the manifest has no "
                            + "residuals for it; store them with :calibrate");
                }
                forecasts.add(new SeriesForecast(
                        leg.ready().get(index[i]).id(),
                        model.targetName(j),
                        version,
                        mean,
                        intervals && !conformal.isEmpty()
                                ? model.bounds().clip(conformal.bands(mean, levels, warnings))
                                : null));
            }
        }
        return new ForecastResponse(first.name(), first.version(), forecastId, forecasts, List.copyOf(warnings));
    }
}
