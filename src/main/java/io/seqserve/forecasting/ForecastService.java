package io.seqserve.forecasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/** {@code :forecast}: many series, one horizon, optional conformal intervals. */
@Service
class ForecastService {

    /** The answer: the mean per series and, when asked for and calibrated, intervals per level. */
    record ForecastResponse(
            String model,
            long version,
            List<SeriesForecast> forecasts,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {}

    record SeriesForecast(
            String id,
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
                    List<Series> ready = series.stream()
                            .map(s -> model.prepare(s, request.fill(), 1))
                            .toList();
                    List<Forecaster.History> histories = ready.stream()
                            .map(s -> new Forecaster.History(s.rows(), s.length()))
                            .toList();
                    return forecaster
                            .forecast(session, model, histories, horizon)
                            .thenApplyAsync(
                                    out -> new ForecastMetrics.Done<>(
                                            answer(model, ready, out, levels), ready.size(), horizon, out.passes()),
                                    executors.continuations());
                }));
    }

    private static ForecastResponse answer(
            ForecastModel model, List<Series> series, Forecaster.Output out, List<Double> levels) {
        Set<String> warnings = new LinkedHashSet<>();
        boolean intervals = !levels.isEmpty() && !model.conformal().isEmpty();
        if (!levels.isEmpty() && !intervals) {
            warnings.add("no intervals: model '" + model.name() + "' version " + model.version() + " has no conformal "
                    + "residuals in its manifest; store them with :calibrate (models trained by seqserve have them)");
        }
        List<SeriesForecast> forecasts = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            double[] mean = out.means()[i];
            forecasts.add(new SeriesForecast(
                    series.get(i).id(),
                    mean,
                    intervals ? model.conformal().bands(mean, levels, warnings, model.bounds()) : null));
        }
        return new ForecastResponse(model.name(), model.version(), forecasts, List.copyOf(warnings));
    }
}
