package io.seqserve.forecasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * {@code :backtest}: rolling-origin forecasts of the model against {@code naive} (the last value) and
 * {@code seasonal_naive} (the value one season earlier), scored per series and overall. MASE divides by the
 * in-sample MAE of the seasonal naive forecast over the values before the first cutoff; overall MASE is
 * the mean of the series' MASE, the other overall scores pool all points.
 */
@Service
class BacktestService {

    static final String MODEL = "model";
    static final String NAIVE = "naive";
    static final String SEASONAL_NAIVE = "seasonal_naive";

    record BacktestResponse(
            String model,
            long version,
            int horizon,
            int windows,
            int step,
            int season,
            Map<String, Accuracy.Scores> overall,
            List<SeriesScores> series,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {}

    record SeriesScores(String id, int[] cutoffs, Map<String, Accuracy.Scores> metrics) {}

    private final Inference inference;
    private final Forecaster forecaster;
    private final ForecastMetrics metrics;
    private final ForecastExecutors executors;
    private final ForecastingProperties properties;

    BacktestService(
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

    CompletableFuture<BacktestResponse> backtest(ModelRef ref, ForecastRequests.BacktestRequest request) {
        List<Series> series = ForecastRequests.read(request, properties);
        int horizon = ForecastRequests.horizon(request.horizon(), properties);
        int windows = request.windows() == null ? 1 : request.windows();
        int step = request.step() == null ? horizon : request.step();
        int season = request.season() == null ? 1 : request.season();
        List<Double> levels = ForecastRequests.levels(request.level());
        RollingOrigin origin = RollingOrigin.of(horizon, windows, step, series.size(), properties);
        return inference.within(
                ref,
                "backtest",
                session -> metrics.timed(session.version().name(), "backtest", () -> {
                    ForecastModel model = ForecastModel.of(session.version(), properties);
                    model.checkHorizon(horizon);
                    int before = Math.max(model.minHistory(), season + 1);
                    List<Series> ready = series.stream()
                            .map(s -> model.prepare(s, request.fill(), origin.length(before)))
                            .toList();
                    return forecaster
                            .forecast(session, model, origin.histories(ready), horizon)
                            .thenApplyAsync(
                                    out -> new ForecastMetrics.Done<>(
                                            score(model, ready, origin, season, levels, out.means()),
                                            ready.size(),
                                            horizon,
                                            out.passes()),
                                    executors.continuations());
                }));
    }

    private static BacktestResponse score(
            ForecastModel model,
            List<Series> series,
            RollingOrigin origin,
            int season,
            List<Double> levels,
            double[][] means) {
        Set<String> warnings = new LinkedHashSet<>();
        boolean intervals = !levels.isEmpty() && !model.conformal().isEmpty();
        if (!levels.isEmpty() && !intervals) {
            warnings.add("no coverage: model '" + model.name() + "' version " + model.version()
                    + " has no conformal residuals; store them with :calibrate");
        }
        Map<String, Accuracy> pooled = methods();
        Map<String, double[]> maseSums = new LinkedHashMap<>();
        List<SeriesScores> perSeries = new ArrayList<>();
        int row = 0;
        for (Series s : series) {
            Map<String, Accuracy> mine = methods();
            int[] cutoffs = origin.cutoffs(s.length());
            for (int cutoff : cutoffs) {
                double[] forecast = means[row++];
                for (int h = 0; h < origin.horizon(); h++) {
                    int t = cutoff + h;
                    if (!s.observed()[t]) {
                        continue;
                    }
                    double actual = target(s, model, t);
                    mine.get(MODEL).add(actual, forecast[h]);
                    mine.get(NAIVE).add(actual, target(s, model, cutoff - 1));
                    mine.get(SEASONAL_NAIVE).add(actual, target(s, model, cutoff - season + h % season));
                    if (intervals) {
                        cover(model.conformal(), mine.get(MODEL), levels, h, actual, forecast[h], warnings);
                    }
                }
            }
            if (Double.isNaN(mine.get(MODEL).mae())) {
                throw Failure.unprocessable(s.field() + ".values", "has no observed value in its backtest windows");
            }
            double scale = seasonalScale(s, model, season, cutoffs[0]);
            Map<String, Accuracy.Scores> scores = new LinkedHashMap<>();
            mine.forEach((method, accuracy) -> {
                Double mase = scale > 0 ? accuracy.mae() / scale : null;
                scores.put(method, accuracy.scores(mase));
                if (mase != null) {
                    double[] sum = maseSums.computeIfAbsent(method, m -> new double[2]);
                    sum[0] += mase;
                    sum[1]++;
                }
                pooled.get(method).addAll(accuracy);
            });
            perSeries.add(new SeriesScores(s.id(), cutoffs, scores));
        }
        Map<String, Accuracy.Scores> overall = new LinkedHashMap<>();
        pooled.forEach((method, accuracy) -> {
            double[] sum = maseSums.get(method);
            overall.put(method, accuracy.scores(sum == null ? null : sum[0] / sum[1]));
        });
        return new BacktestResponse(
                model.name(),
                model.version(),
                origin.horizon(),
                origin.windows(),
                origin.step(),
                season,
                overall,
                perSeries,
                List.copyOf(warnings));
    }

    private static void cover(
            Conformal conformal,
            Accuracy accuracy,
            List<Double> levels,
            int h,
            double actual,
            double forecast,
            Set<String> warnings) {
        for (double level : levels) {
            Conformal.HalfWidth w = conformal.halfWidth(h + 1, level, warnings);
            if (w != null) {
                accuracy.cover(Conformal.key(level), Math.abs(actual - forecast) <= w.width());
            }
        }
    }

    /** In-sample MAE of the seasonal naive forecast over the observed values before {@code cutoff}. */
    private static double seasonalScale(Series s, ForecastModel model, int season, int cutoff) {
        double sum = 0;
        int n = 0;
        for (int t = season; t < cutoff; t++) {
            if (s.observed()[t] && s.observed()[t - season]) {
                sum += Math.abs(target(s, model, t) - target(s, model, t - season));
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static double target(Series s, ForecastModel model, int t) {
        return s.rows()[t][model.targetIndex()];
    }

    private static Map<String, Accuracy> methods() {
        Map<String, Accuracy> methods = new LinkedHashMap<>();
        methods.put(MODEL, new Accuracy());
        methods.put(NAIVE, new Accuracy());
        methods.put(SEASONAL_NAIVE, new Accuracy());
        return methods;
    }
}
