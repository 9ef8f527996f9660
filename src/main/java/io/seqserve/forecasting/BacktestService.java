package io.seqserve.forecasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.series.Accuracy;
import io.seqserve.series.Baselines;
import io.seqserve.series.Conformal;
import io.seqserve.series.RollingOrigin;
import io.seqserve.series.Rollout;
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
 * {@code seasonal_naive} (the value one season earlier), scored per series and target and overall per target.
 * MASE divides by the in-sample MAE of the seasonal naive forecast over the values before the first cutoff;
 * overall MASE is the mean of the series' MASE, the other overall scores pool all points. The future covariates
 * after each cutoff are the series' own values (they are known), as in training's evaluation.
 */
@Service
public class BacktestService {

    /**
     * {@code overall} holds the scores per method of a single-target model; a model with several targets answers
     * {@code overall_by_target} instead (target -> method -> scores), as its targets have different units.
     */
    record BacktestResponse(
            String model,
            long version,
            int horizon,
            int windows,
            int step,
            int season,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Accuracy.Scores> overall,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Map<String, Accuracy.Scores>> overallByTarget,
            List<SeriesScores> series,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {}

    record SeriesScores(
            String id,
            @JsonInclude(JsonInclude.Include.NON_NULL) String target,
            int[] cutoffs,
            Map<String, Accuracy.Scores> metrics) {}

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
        RollingOrigin origin = ForecastRequests.origin(horizon, windows, step, series.size(), properties);
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
                    List<Rollout.Origin> origins = new ArrayList<>();
                    List<String> fields = new ArrayList<>();
                    model.origins(ready, origin, origins, fields);
                    return forecaster
                            .forecast(session, model, origins, fields, horizon)
                            .thenApplyAsync(
                                    out -> new ForecastMetrics.Done<>(
                                            score(model, ready, origin, season, levels, out.means()),
                                            ready.size(),
                                            horizon,
                                            out.passes()),
                                    executors.continuations());
                }));
    }

    /**
     * The model's overall scores per target on a backtest (the promotion gate's evidence): by target name, or
     * {@code value} for a model that does not name its one target.
     */
    public CompletableFuture<Map<String, Accuracy.Scores>> modelScores(
            ModelRef ref, ForecastRequests.BacktestRequest request) {
        return backtest(ref, request).thenApply(r -> {
            Map<String, Accuracy.Scores> out = new LinkedHashMap<>();
            if (r.overall() != null) {
                String target = r.series().get(0).target();
                out.put(
                        target == null ? ForecastRecords.UNNAMED_TARGET : target,
                        r.overall().get(Baselines.MODEL));
            } else {
                r.overallByTarget().forEach((target, methods) -> out.put(target, methods.get(Baselines.MODEL)));
            }
            return out;
        });
    }

    private static BacktestResponse score(
            ForecastModel model,
            List<Series> series,
            RollingOrigin origin,
            int season,
            List<Double> levels,
            double[][][] means) {
        Set<String> warnings = new LinkedHashSet<>(model.warnings(series));
        boolean intervals = !levels.isEmpty() && model.calibrated();
        if (!levels.isEmpty() && !intervals) {
            warnings.add("no coverage: model '" + model.name() + "' version " + model.version()
                    + " has no conformal residuals; store them with :calibrate");
        }
        int targets = model.layout().targetCount();
        List<Map<String, Accuracy>> pooled = new ArrayList<>();
        List<Map<String, double[]>> maseSums = new ArrayList<>();
        for (int j = 0; j < targets; j++) {
            pooled.add(methods());
            maseSums.add(new LinkedHashMap<>());
        }
        List<SeriesScores> perSeries = new ArrayList<>();
        int row = 0;
        for (Series s : series) {
            int[] cutoffs = origin.cutoffs(s.length());
            for (int j = 0; j < targets; j++) {
                int column = model.layout().targetColumn(j);
                double[] target = s.column(column);
                Map<String, Accuracy> mine = methods();
                Conformal conformal = intervals ? model.conformal().get(j) : null;
                for (int w = 0; w < cutoffs.length; w++) {
                    int cutoff = cutoffs[w];
                    double[] forecast = model.bounds().clip(means[row + w][j]); // scored as served
                    for (int h = 0; h < origin.horizon(); h++) {
                        int t = cutoff + h;
                        if (!s.observed(t, column)) {
                            continue;
                        }
                        double actual = target[t];
                        mine.get(Baselines.MODEL).add(actual, forecast[h]);
                        mine.get(Baselines.NAIVE).add(actual, Baselines.naive(target, cutoff));
                        mine.get(Baselines.SEASONAL_NAIVE)
                                .add(actual, Baselines.seasonalNaive(target, cutoff, h, season));
                        if (conformal != null && !conformal.isEmpty()) {
                            cover(conformal, mine.get(Baselines.MODEL), levels, h, actual, forecast[h], warnings);
                        }
                    }
                }
                if (Double.isNaN(mine.get(Baselines.MODEL).mae())) {
                    throw Failure.unprocessable(s.field() + ".values", "has no observed value in its backtest windows");
                }
                double scale = Baselines.seasonalScale(target, s.observedColumn(column), season, cutoffs[0]);
                Map<String, Accuracy.Scores> scores = new LinkedHashMap<>();
                Map<String, double[]> sums = maseSums.get(j);
                Map<String, Accuracy> all = pooled.get(j);
                mine.forEach((method, accuracy) -> {
                    Double mase = scale > 0 ? accuracy.mae() / scale : null;
                    scores.put(method, accuracy.scores(mase));
                    if (mase != null) {
                        double[] sum = sums.computeIfAbsent(method, m -> new double[2]);
                        sum[0] += mase;
                        sum[1]++;
                    }
                    all.get(method).addAll(accuracy);
                });
                perSeries.add(new SeriesScores(s.id(), model.targetName(j), cutoffs, scores));
            }
            row += cutoffs.length;
        }
        List<Map<String, Accuracy.Scores>> overall = new ArrayList<>();
        for (int j = 0; j < targets; j++) {
            Map<String, Accuracy.Scores> scores = new LinkedHashMap<>();
            Map<String, double[]> sums = maseSums.get(j);
            pooled.get(j).forEach((method, accuracy) -> {
                double[] sum = sums.get(method);
                scores.put(method, accuracy.scores(sum == null ? null : sum[0] / sum[1]));
            });
            overall.add(scores);
        }
        Map<String, Map<String, Accuracy.Scores>> byTarget = null;
        if (targets > 1) {
            byTarget = new LinkedHashMap<>();
            for (int j = 0; j < targets; j++) {
                byTarget.put(model.targetName(j), overall.get(j));
            }
        }
        return new BacktestResponse(
                model.name(),
                model.version(),
                origin.horizon(),
                origin.windows(),
                origin.step(),
                season,
                targets == 1 ? overall.get(0) : null,
                byTarget,
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

    private static Map<String, Accuracy> methods() {
        Map<String, Accuracy> methods = new LinkedHashMap<>();
        methods.put(Baselines.MODEL, new Accuracy());
        methods.put(Baselines.NAIVE, new Accuracy());
        methods.put(Baselines.SEASONAL_NAIVE, new Accuracy());
        return methods;
    }
}
