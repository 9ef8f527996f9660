package io.seqserve.training.task;

import io.seqserve.series.Accuracy;
import io.seqserve.series.Baselines;
import io.seqserve.series.ForecastBlock;
import io.seqserve.series.Layout;
import io.seqserve.series.Residuals;
import io.seqserve.series.Rollout;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.TrainedModel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trained forecaster is worth, in the series' own units, per target: errors on the validation and test
 * parts, the naive and seasonal-naive baselines on the test part, per horizon step and over the model's horizon,
 * and split-conformal residuals {@code |y - ŷ|} per horizon step from the validation part, stored in the manifest
 * so the served model has prediction intervals. One-step models are rolled forward as they are served (their own
 * forecasts fed back, the known covariates from the data), for up to {@code evaluation_horizon} steps (default
 * {@value #RECURSIVE_STEPS}). Residuals come from the latest {@value #MAX_RESIDUALS} validation origins of each
 * series at most: plenty for the interval quantiles, and a long series' manifest stays within the registry's
 * size limit. Only observed values are scored (a value filled in is no actual). The first target's scores are also
 * given under the names one-target jobs always had ({@code test_rmse}, {@code naive_rmse}, ...).
 */
public final class ForecastReport {

    static final int RECURSIVE_STEPS = 12;
    static final int MAX_RESIDUALS = 1000;
    private static final MathContext DIGITS = new MathContext(6);

    private final SeriesTask task;
    private final Prepared prepared;
    private final Layout layout;
    private final Evaluation evaluation;
    private final int window;
    private final int horizon;
    private final int steps;
    private final int season;

    ForecastReport(SeriesTask task, Hyper hyper, Prepared prepared, TrainedModel model, TaskSpec spec) {
        this.task = task;
        this.prepared = prepared;
        this.layout = prepared.layout();
        this.window = hyper.window();
        this.horizon = spec.horizon();
        this.evaluation = new Evaluation(model, layout, window, horizon);
        this.steps = horizon > 1 ? horizon : task.plan().hasPast() ? 1 : Math.max(1, spec.evaluationHorizon());
        this.season = spec.season();
    }

    /** Scores of one target on one part: model and baselines over the model's horizon and per step. */
    private final class Scores {
        final Accuracy model = new Accuracy();
        final Accuracy naive = new Accuracy();
        final Accuracy seasonal = new Accuracy();
        final List<Accuracy[]> perStep = new ArrayList<>();

        Scores() {
            for (int k = 0; k < steps; k++) {
                perStep.add(new Accuracy[] {new Accuracy(), new Accuracy(), new Accuracy()});
            }
        }

        void add(int k, double actual, double forecast, double naiveValue, double seasonalValue) {
            if (k < horizon) {
                model.add(actual, forecast);
                naive.add(actual, naiveValue);
                if (!Double.isNaN(seasonalValue)) {
                    seasonal.add(actual, seasonalValue);
                }
            }
            Accuracy[] step = perStep.get(k);
            step[0].add(actual, forecast);
            step[1].add(actual, naiveValue);
            if (!Double.isNaN(seasonalValue)) {
                step[2].add(actual, seasonalValue);
            }
        }
    }

    LearningTask.Report build(EpochLoop.Fitted fitted) {
        int targets = layout.targetCount();
        List<Scores> val = new ArrayList<>();
        List<Scores> test = new ArrayList<>();
        List<Residuals> residuals = new ArrayList<>();
        for (int j = 0; j < targets; j++) {
            val.add(new Scores());
            test.add(new Scores());
            residuals.add(new Residuals(steps));
        }
        boolean tested = false;
        for (SeriesTask.Part part : task.parts()) {
            int[] ends = task.ends(part, prepared.trainEnd(), prepared.valEnd());
            score(part, Math.max(ends[0], window), ends[1], ends[1] - MAX_RESIDUALS, val, residuals);
            tested |= score(part, Math.max(ends[1], window), part.length(), Integer.MAX_VALUE, test, null);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        into(metrics, "val", val.get(0).model);
        if (tested) {
            into(metrics, "test", test.get(0).model);
            into(metrics, "naive", test.get(0).naive);
            into(metrics, "seasonal_naive", test.get(0).seasonal);
            metrics.put("season", season);
        }
        metrics.put("val_loss", round(fitted.bestValLoss()));
        metrics.put("best_epoch", fitted.bestEpoch());
        metrics.put("epochs_trained", fitted.history().size());
        Map<String, Object> perTarget = new LinkedHashMap<>();
        for (int j = 0; j < targets; j++) {
            perTarget.put(
                    task.plan().names().get(layout.targetColumn(j)), targetMetrics(val.get(j), test.get(j), tested));
        }
        metrics.put("targets", perTarget);
        List<Map<String, List<Double>>> stored = new ArrayList<>();
        for (Residuals r : residuals) {
            stored.add(r.toManifest(Integer.MAX_VALUE));
        }
        Map<String, Object> block = ForecastBlock.write(layout, window, horizon > 1, horizon, stored);
        return new LearningTask.Report(block, metrics);
    }

    /**
     * Forecasts from every origin {@code t} in {@code [from, to)} whose first step lies there, as far as the part
     * (and the model) allows, and scores them; origins from {@code residualsFrom} on also give residuals. False
     * when there was no origin.
     */
    private boolean score(
            SeriesTask.Part part, int from, int to, int residualsFrom, List<Scores> scores, List<Residuals> residuals) {
        List<Rollout.Origin> origins = new ArrayList<>();
        List<Integer> horizons = new ArrayList<>();
        for (int t = from; t < to; t++) {
            int reach = Math.min(steps, to - t);
            if (reach >= horizon) {
                origins.add(new Rollout.Origin(part.frame(), t));
                horizons.add(horizon > 1 ? horizon : reach);
            }
        }
        if (origins.isEmpty()) {
            return false;
        }
        double[][][] forecasts = evaluation.forecast(
                origins, horizons.stream().mapToInt(Integer::intValue).toArray());
        for (int j = 0; j < layout.targetCount(); j++) {
            double[] target = column(part, layout.targetColumn(j));
            for (int i = 0; i < origins.size(); i++) {
                int t = origins.get(i).end();
                for (int k = 0; k < horizons.get(i); k++) {
                    if (!part.observed()[t + k][layout.targetColumn(j)]) {
                        continue;
                    }
                    double actual = target[t + k];
                    scores.get(j)
                            .add(
                                    k,
                                    actual,
                                    forecasts[i][j][k],
                                    Baselines.naive(target, t),
                                    Baselines.seasonalNaive(target, t, k, season));
                    if (residuals != null && t >= residualsFrom) {
                        residuals.get(j).add(k, actual, forecasts[i][j][k]);
                    }
                }
            }
        }
        return true;
    }

    private Map<String, Object> targetMetrics(Scores val, Scores test, boolean tested) {
        Map<String, Object> m = new LinkedHashMap<>();
        into(m, "val", val.model);
        if (tested) {
            into(m, "test", test.model);
            into(m, "naive", test.naive);
            into(m, "seasonal_naive", test.seasonal);
            List<Map<String, Object>> perStep = new ArrayList<>();
            Accuracy[] pooled = {new Accuracy(), new Accuracy(), new Accuracy()};
            for (int k = 0; k < steps; k++) {
                Accuracy[] step = test.perStep.get(k);
                if (step[0].scores(null).points() == 0) {
                    break;
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("step", k + 1);
                s.put("points", step[0].scores(null).points());
                into(s, "test", step[0]);
                into(s, "naive", step[1]);
                into(s, "seasonal_naive", step[2]);
                perStep.add(s);
                for (int m2 = 0; m2 < 3; m2++) {
                    pooled[m2].addAll(step[m2]);
                }
            }
            m.put("steps", perStep);
            Map<String, Object> over = new LinkedHashMap<>();
            over.put("steps", perStep.size());
            into(over, "test", pooled[0]);
            into(over, "naive", pooled[1]);
            into(over, "seasonal_naive", pooled[2]);
            m.put("over_steps", over);
        }
        return m;
    }

    private static double[] column(SeriesTask.Part part, int column) {
        double[] out = new double[part.length()];
        for (int t = 0; t < out.length; t++) {
            out[t] = part.rows()[t][column];
        }
        return out;
    }

    private static void into(Map<String, Object> metrics, String prefix, Accuracy accuracy) {
        Accuracy.Scores s = accuracy.scores(null);
        if (s.points() > 0) {
            metrics.put(prefix + "_rmse", round(s.rmse()));
            metrics.put(prefix + "_mae", round(s.mae()));
        }
    }

    /** Six significant digits: what reports and search scores keep. */
    public static double round(double value) {
        return Double.isFinite(value) ? new BigDecimal(value).round(DIGITS).doubleValue() : value;
    }
}
