package io.seqserve.forecasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.series.Conformal;
import io.seqserve.series.Rollout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/** {@code :forecast}: many series, one horizon, optional conformal intervals, every target of the model. */
@Service
class ForecastService {

    /** The answer: per series and target, the mean and, when asked for and calibrated, intervals per level. */
    record ForecastResponse(
            String model,
            long version,
            List<SeriesForecast> forecasts,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {}

    /** {@code target} names the variable when the manifest names its targets (absent for the legacy form). */
    record SeriesForecast(
            String id,
            @JsonInclude(JsonInclude.Include.NON_NULL) String target,
            double[] mean,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Conformal.Band> intervals) {}

    private final Inference inference;
    private final Forecaster forecaster;
    private final ForecastMetrics metrics;
    private final ForecastExecutors executors;
    private final ForecastingProperties properties;

    ForecastService(
            Inference inference,
            Forecaster forecaster,
            ForecastMetrics metrics,
            ForecastExecutors executors,
            ForecastingProperties properties) {
        this.inference = inference;
        this.forecaster = forecaster;
        this.metrics = metrics;
        this.executors = executors;
        this.properties = properties;
    }

    CompletableFuture<ForecastResponse> forecast(ModelRef ref, ForecastRequests.ForecastRequest request) {
        List<Series> series = ForecastRequests.read(request, properties);
        int horizon = ForecastRequests.horizon(request.horizon(), properties);
        List<Double> levels = ForecastRequests.levels(request.level());
        return inference.within(
                ref,
                "forecast",
                session -> metrics.timed(session.version().name(), "forecast", () -> {
                    ForecastModel model = ForecastModel.of(session.version(), properties);
                    model.checkHorizon(horizon);
                    List<Series> ready = new ArrayList<>();
                    for (Series s : series) {
                        Series filled = model.prepare(s, request.fill(), 1);
                        model.checkFuture(filled, horizon);
                        ready.add(filled);
                    }
                    List<Rollout.Origin> origins = ready.stream()
                            .map(s -> new Rollout.Origin(model.frame(s), s.length()))
                            .toList();
                    List<String> fields = ready.stream().map(Series::field).toList();
                    return forecaster
                            .forecast(session, model, origins, fields, horizon)
                            .thenApplyAsync(
                                    out -> new ForecastMetrics.Done<>(
                                            answer(model, ready, out, levels), ready.size(), horizon, out.passes()),
                                    executors.continuations());
                }));
    }

    private static ForecastResponse answer(
            ForecastModel model, List<Series> series, Forecaster.Output out, List<Double> levels) {
        Set<String> warnings = new LinkedHashSet<>(model.warnings(series));
        boolean intervals = !levels.isEmpty() && model.calibrated();
        if (!levels.isEmpty() && !intervals) {
            warnings.add("no intervals: model '" + model.name() + "' version " + model.version() + " has no conformal "
                    + "residuals in its manifest; store them with :calibrate (models trained by seqserve have them)");
        }
        List<SeriesForecast> forecasts = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            for (int j = 0; j < model.layout().targetCount(); j++) {
                double[] mean = model.bounds().clip(out.means()[i][j]);
                Conformal conformal = model.conformal().get(j);
                if (intervals && conformal.isEmpty()) {
                    warnings.add("no intervals for target '" + model.targetName(j) + "': the manifest has no "
                            + "residuals for it; store them with :calibrate");
                }
                forecasts.add(new SeriesForecast(
                        series.get(i).id(),
                        model.targetName(j),
                        mean,
                        intervals && !conformal.isEmpty()
                                ? model.bounds().clip(conformal.bands(mean, levels, warnings))
                                : null));
            }
        }
        return new ForecastResponse(model.name(), model.version(), forecasts, List.copyOf(warnings));
    }
}
