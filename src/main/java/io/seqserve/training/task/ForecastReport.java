package io.seqserve.training.task;

import io.seqserve.runtime.HostTensor;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.Samples;
import io.seqserve.training.nn.TrainedModel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trained forecaster is worth, in the series' own units: errors on the validation and test
 * parts, the naive and seasonal-naive baselines on the test part, and split-conformal residuals
 * {@code |y - ŷ|} per horizon step from the validation part (one-step models are rolled forward
 * recursively, as they are served, for up to {@value #RECURSIVE_STEPS} steps), stored in the manifest so
 * the served model has prediction intervals. Residuals come from the latest {@value #MAX_RESIDUALS} validation
 * origins at most: plenty for the interval quantiles, and a long series' manifest stays within the
 * registry's size limit.
 */
public final class ForecastReport {

    static final int RECURSIVE_STEPS = 12;
    static final int MAX_RESIDUALS = 1000;
    private static final MathContext DIGITS = new MathContext(6);

    private final SeriesTask problem;
    private final CleanedSeries series;
    private final Prepared prepared;
    private final TrainedModel model;
    private final int window;
    private final int horizon;
    private final int season;

    ForecastReport(SeriesTask problem, Hyper hyper, Prepared prepared, TrainedModel model, int season) {
        this.problem = problem;
        this.series = problem.series();
        this.prepared = prepared;
        this.model = model;
        this.window = hyper.window();
        this.horizon = problem.horizon();
        this.season = season;
    }

    /** Squared and absolute errors, summed. */
    private static final class Errors {
        double squared;
        double absolute;
        long count;

        void add(double forecast, double actual) {
            squared += (forecast - actual) * (forecast - actual);
            absolute += Math.abs(forecast - actual);
            count++;
        }

        void into(Map<String, Object> metrics, String prefix) {
            if (count > 0) {
                metrics.put(prefix + "_rmse", round(Math.sqrt(squared / count)));
                metrics.put(prefix + "_mae", round(absolute / count));
            }
        }
    }

    LearningTask.Report build(EpochLoop.Fitted fitted) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        int valFrom = Math.max(prepared.trainEnd(), window);
        double[][] val = forecast(prepared.val());
        Errors valErrors = new Errors();
        for (int i = 0; i < val.length; i++) {
            for (int k = 0; k < horizon; k++) {
                valErrors.add(val[i][k], series.target(valFrom + i + k));
            }
        }
        valErrors.into(metrics, "val");
        testMetrics(metrics);
        metrics.put("val_loss", round(fitted.bestValLoss()));
        metrics.put("best_epoch", fitted.bestEpoch());
        metrics.put("epochs_trained", fitted.history().size());

        Map<String, Object> block = new LinkedHashMap<>();
        block.put("window", window);
        block.put("features", series.width());
        block.put("target_index", series.target());
        block.put("output", horizon == 1 ? "next_step" : "multi_horizon");
        block.put(
                "scaling",
                Map.of(
                        "method",
                        "zscore",
                        "mean",
                        rounded(prepared.scaling().mean()),
                        "std",
                        rounded(prepared.scaling().std())));
        block.put("residuals", residuals(val, valFrom));
        return new LearningTask.Report(block, metrics);
    }

    private void testMetrics(Map<String, Object> metrics) {
        int length = series.length();
        int from = Math.max(prepared.valEnd(), window);
        if (length - from < horizon) {
            return;
        }
        double[][] test = forecast(problem.windows(window, prepared.scaling(), from, length));
        Errors model = new Errors();
        Errors naive = new Errors();
        Errors seasonal = new Errors();
        for (int i = 0; i < test.length; i++) {
            int t = from + i;
            for (int k = 0; k < horizon; k++) {
                double actual = series.target(t + k);
                model.add(test[i][k], actual);
                naive.add(series.target(t - 1), actual);
                int back = t + k - season * ((k / season) + 1);
                if (back >= 0) {
                    seasonal.add(series.target(back), actual);
                }
            }
        }
        model.into(metrics, "test");
        naive.into(metrics, "naive");
        seasonal.into(metrics, "seasonal_naive");
        metrics.put("season", season);
    }

    private Map<String, List<Double>> residuals(double[][] val, int valFrom) {
        Map<String, List<Double>> residuals = new LinkedHashMap<>();
        if (horizon == 1 && series.width() == 1) {
            return recursiveResiduals(Math.max(valFrom, prepared.valEnd() - MAX_RESIDUALS));
        }
        for (int k = 0; k < horizon; k++) {
            List<Double> step = new ArrayList<>();
            for (int i = Math.max(0, val.length - MAX_RESIDUALS); i < val.length; i++) {
                step.add(round(Math.abs(val[i][k] - series.target(valFrom + i + k))));
            }
            residuals.put(String.valueOf(k + 1), step);
        }
        return residuals;
    }

    /** Rolls a one-step model forward from every validation origin from {@code valFrom} on, feeding its own forecasts back. */
    private Map<String, List<Double>> recursiveResiduals(int valFrom) {
        CleanedSeries.Scaling scaling = prepared.scaling();
        int origins = prepared.valEnd() - valFrom;
        float[][] windows = new float[origins][window];
        for (int o = 0; o < origins; o++) {
            for (int s = 0; s < window; s++) {
                windows[o][s] = scaling.scale(series.target(valFrom + o - window + s), 0);
            }
        }
        Map<String, List<Double>> residuals = new LinkedHashMap<>();
        for (int step = 1; step <= RECURSIVE_STEPS; step++) {
            int active = prepared.valEnd() - valFrom - step + 1;
            if (active < 1) {
                break;
            }
            float[] x = new float[active * window];
            for (int o = 0; o < active; o++) {
                System.arraycopy(windows[o], 0, x, o * window, window);
            }
            HostTensor out = model.predict(HostTensor.ofFloats(new long[] {active, window, 1}, x));
            List<Double> errors = new ArrayList<>();
            for (int o = 0; o < active; o++) {
                double scaled = out.getDouble(o);
                errors.add(round(Math.abs(scaling.unscale(scaled, 0) - series.target(valFrom + o + step - 1))));
                System.arraycopy(windows[o], 1, windows[o], 0, window - 1);
                windows[o][window - 1] = (float) scaled;
            }
            residuals.put(String.valueOf(step), errors);
        }
        return residuals;
    }

    /** The model's forecasts for these examples, in the series' units: {@code [example][step]}. */
    private double[][] forecast(Samples samples) {
        int n = samples.size();
        double[][] out = new double[n][horizon];
        if (n == 0) {
            return out;
        }
        HostTensor predicted = model.predict(samples.inputs());
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < horizon; k++) {
                out[i][k] = prepared.scaling().unscale(predicted.getDouble((long) i * horizon + k), series.target());
            }
        }
        return out;
    }

    /** Six significant digits: what reports and search scores keep. */
    public static double round(double value) {
        return Double.isFinite(value) ? new BigDecimal(value).round(DIGITS).doubleValue() : value;
    }

    private static List<Double> rounded(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(round(v));
        }
        return out;
    }
}
