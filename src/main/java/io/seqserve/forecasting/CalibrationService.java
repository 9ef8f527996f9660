package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelVersion;
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

    /** What was stored for one horizon step, with the half-widths it gives at 80% and 95%. */
    record StepResiduals(int step, int count, double meanAbsoluteError, Map<String, Double> halfWidth) {}

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
                    RollingOrigin origin = RollingOrigin.of(horizon, windows, step, series.size(), properties);
                    if ((long) series.size() * windows * horizon > properties.maxResiduals()) {
                        throw Failure.tooLarge(
                                "this calibration would store " + (long) series.size() * windows * horizon
                                        + " residuals; the limit is " + properties.maxResiduals());
                    }
                    List<Series> ready = series.stream()
                            .map(s -> model.prepare(s, request.fill(), origin.length(model.minHistory())))
                            .toList();
                    return forecaster
                            .forecast(session, model, origin.histories(ready), horizon)
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
            ModelVersion version, ForecastModel model, List<Series> series, RollingOrigin origin, double[][] means) {
        List<List<Double>> perStep = new ArrayList<>();
        for (int h = 0; h < origin.horizon(); h++) {
            perStep.add(new ArrayList<>());
        }
        int row = 0;
        for (Series s : series) {
            for (int cutoff : origin.cutoffs(s.length())) {
                double[] forecast = means[row++];
                for (int h = 0; h < origin.horizon(); h++) {
                    if (s.observed()[cutoff + h]) {
                        perStep.get(h).add(Math.abs(s.rows()[cutoff + h][model.targetIndex()] - forecast[h]));
                    }
                }
            }
        }
        if (perStep.stream().anyMatch(List::isEmpty)) {
            throw Failure.unprocessable("series", "some horizon steps have no observed value to compare with");
        }
        Map<String, List<Double>> residuals = Conformal.toManifest(perStep);
        registry.updateManifest(
                version, m -> m.withForecasting(ForecastingSpec.withResiduals(m.forecasting(), residuals)));
        Conformal conformal = Conformal.of(residuals);
        List<StepResiduals> summary = new ArrayList<>();
        for (int h = 1; h <= origin.horizon(); h++) {
            List<Double> values = residuals.get(String.valueOf(h));
            Map<String, Double> widths = new LinkedHashMap<>();
            for (double level : SUMMARY_LEVELS) {
                widths.put(Conformal.key(level), conformal.halfWidth(h, level).width());
            }
            summary.add(new StepResiduals(
                    h,
                    values.size(),
                    values.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                    widths));
        }
        return new CalibrationResponse(
                model.name(), model.version(), origin.horizon(), origin.windows(), origin.step(), summary);
    }
}
