package io.seqserve.forecasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelVersion;
import io.seqserve.series.Conformal;
import io.seqserve.series.Residuals;
import io.seqserve.series.RollingOrigin;
import io.seqserve.series.Rollout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * {@code :calibrate}: rolling-origin forecasts over the given series, whose absolute errors per horizon step
 * become the version's conformal residuals, written into its manifest and used from the next request on.
 * The series should be data the model was not trained on; in-sample errors make intervals too narrow.
 */
@Service
class CalibrationService {

    record CalibrationResponse(
            String model, long version, int horizon, int windows, int step, List<StepResiduals> residuals) {}

    /**
     * What was stored for one horizon step (of one target, named when the manifest names its targets), with the
     * half-widths it gives at 80% and 95%.
     */
    record StepResiduals(
            @JsonInclude(JsonInclude.Include.NON_NULL) String target,
            int step,
            int count,
            double meanAbsoluteError,
            Map<String, Double> halfWidth) {}

    private static final List<Double> SUMMARY_LEVELS = List.of(80.0, 95.0);

    private final Inference inference;
    private final Forecaster forecaster;
    private final ForecastMetrics metrics;
    private final ForecastExecutors executors;
    private final ModelRegistry registry;
    private final ForecastingProperties properties;

    CalibrationService(
            Inference inference,
            Forecaster forecaster,
            ForecastMetrics metrics,
            ForecastExecutors executors,
            ModelRegistry registry,
            ForecastingProperties properties) {
        this.inference = inference;
        this.forecaster = forecaster;
        this.metrics = metrics;
        this.executors = executors;
        this.registry = registry;
        this.properties = properties;
    }

    /** The residuals are written on the manifest writer thread, with the version still leased. */
    CompletableFuture<CalibrationResponse> calibrate(ModelRef ref, ForecastRequests.CalibrateRequest request) {
        List<Series> series = ForecastRequests.read(request, properties);
        int horizon = ForecastRequests.horizon(request.horizon() == null ? 1 : request.horizon(), properties);
        int step = request.step() == null ? 1 : request.step();
        return inference.within(
                ref,
                "calibrate",
                session -> metrics.timed(session.version().name(), "calibrate", () -> {
                    ForecastModel model = ForecastModel.of(session.version(), properties);
                    model.checkHorizon(horizon);
                    int windows = request.windows() != null
                            ? request.windows()
                            : fittingWindows(series, model, horizon, step);
                    RollingOrigin origin = ForecastRequests.origin(horizon, windows, step, series.size(), properties);
                    long stored = (long) series.size()
                            * windows
                            * horizon
                            * model.layout().targetCount();
                    if (stored > properties.maxResiduals()) {
                        throw Failure.tooLarge("this calibration would store " + stored + " residuals; the limit is "
                                + properties.maxResiduals());
                    }
                    List<Series> ready = series.stream()
                            .map(s -> model.prepare(s, request.fill(), origin.length(model.minHistory())))
                            .toList();
                    List<Rollout.Origin> origins = new ArrayList<>();
                    List<String> fields = new ArrayList<>();
                    model.origins(ready, origin, origins, fields);
                    return forecaster
                            .forecast(session, model, origins, fields, horizon)
                            .thenApplyAsync(
                                    out -> new ForecastMetrics.Done<>(
                                            store(session.version(), model, ready, origin, out.means()),
                                            ready.size(),
                                            horizon,
                                            out.passes()),
                                    executors.manifestWriter());
                }));
    }

    /** As many windows as the shortest series allows, one step apart, within the row limit. */
    private int fittingWindows(List<Series> series, ForecastModel model, int horizon, int step) {
        int shortest = series.stream().mapToInt(Series::length).min().orElse(0);
        int windows = (shortest - horizon - model.minHistory()) / step + 1;
        if (shortest - horizon < model.minHistory()) {
            throw Failure.of(
                    Failure.Code.SERIES_TOO_SHORT,
                    "series",
                    "the shortest series has " + shortest + " values; calibrating a horizon of " + horizon
                            + " with model '" + model.name() + "' needs at least " + (model.minHistory() + horizon));
        }
        return Math.min(windows, Math.max(1, properties.maxRows() / series.size()));
    }

    private CalibrationResponse store(
            ModelVersion version, ForecastModel model, List<Series> series, RollingOrigin origin, double[][][] means) {
        int targets = model.layout().targetCount();
        List<Residuals> perTarget = new ArrayList<>();
        for (int j = 0; j < targets; j++) {
            perTarget.add(new Residuals(origin.horizon()));
        }
        int row = 0;
        for (Series s : series) {
            for (int cutoff : origin.cutoffs(s.length())) {
                for (int j = 0; j < targets; j++) {
                    int column = model.layout().targetColumn(j);
                    double[] forecast = model.bounds().clip(means[row][j]); // residuals of served means
                    for (int h = 0; h < origin.horizon(); h++) {
                        if (s.observed(cutoff + h, column)) {
                            perTarget.get(j).add(h, s.rows()[cutoff + h][column], forecast[h]);
                        }
                    }
                }
                row++;
            }
        }
        if (perTarget.stream().anyMatch(r -> !r.complete())) {
            throw Failure.unprocessable("series", "some horizon steps have no observed value to compare with");
        }
        List<Map<String, List<Double>>> residuals =
                perTarget.stream().map(r -> r.toManifest(Integer.MAX_VALUE)).toList();
        registry.updateManifest(version, m -> m.withForecasting(withResiduals(m.forecasting(), residuals)));
        List<StepResiduals> summary = new ArrayList<>();
        for (int j = 0; j < targets; j++) {
            Conformal conformal = Conformal.of(residuals.get(j));
            for (int h = 1; h <= origin.horizon(); h++) {
                List<Double> values = residuals.get(j).get(String.valueOf(h));
                Map<String, Double> widths = new LinkedHashMap<>();
                for (double level : SUMMARY_LEVELS) {
                    widths.put(
                            Conformal.key(level), conformal.halfWidth(h, level).width());
                }
                summary.add(new StepResiduals(
                        model.targetName(j),
                        h,
                        values.size(),
                        values.stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElse(0),
                        widths));
            }
        }
        return new CalibrationResponse(
                model.name(), model.version(), origin.horizon(), origin.windows(), origin.step(), summary);
    }

    /**
     * A copy of the raw block with the residuals of every target ({@code perTarget}, in target order) replaced,
     * everything else as it was written: the block's own {@code residuals} for the legacy form, each target's
     * {@code residuals} when the block names its targets.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withResiduals(Map<String, Object> raw, List<Map<String, List<Double>>> perTarget) {
        Map<String, Object> copy = new LinkedHashMap<>(raw == null ? Map.of() : raw);
        if (!(copy.get(ForecastingSpec.TARGETS) instanceof List<?> targets)) {
            copy.put(ForecastingSpec.RESIDUALS, perTarget.get(0));
            return copy;
        }
        List<Object> updated = new ArrayList<>();
        for (int j = 0; j < targets.size(); j++) {
            Map<String, Object> target = new LinkedHashMap<>((Map<String, Object>) targets.get(j));
            target.put(ForecastingSpec.RESIDUALS, perTarget.get(j));
            updated.add(target);
        }
        copy.put(ForecastingSpec.TARGETS, updated);
        return copy;
    }
}
