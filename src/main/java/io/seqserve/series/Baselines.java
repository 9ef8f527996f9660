package io.seqserve.series;

/**
 * The forecasts a model must beat, from a target's own history: {@code naive} repeats the last value before
 * the cutoff, {@code seasonal naive} the value one season before each step, and the scale of MASE is the
 * in-sample error of the seasonal naive forecast. Backtests and training reports score against these.
 */
public final class Baselines {

    public static final String MODEL = "model";
    public static final String NAIVE = "naive";
    public static final String SEASONAL_NAIVE = "seasonal_naive";

    private Baselines() {}

    /** The naive forecast of any step after {@code cutoff}: the last value before it. */
    public static double naive(double[] target, int cutoff) {
        return target[cutoff - 1];
    }

    /**
     * The seasonal naive forecast of step {@code h} (0-based) after {@code cutoff}: the value of the same season
     * in the last full season before the cutoff; NaN when the history is shorter than a season.
     */
    public static double seasonalNaive(double[] target, int cutoff, int h, int season) {
        int t = cutoff - season + h % season;
        return t < 0 ? Double.NaN : target[t];
    }

    /**
     * In-sample MAE of the seasonal naive forecast over the values before {@code cutoff} whose value and
     * value one season earlier were observed ({@code observed} null: all were); 0 when there are none.
     */
    public static double seasonalScale(double[] target, boolean[] observed, int season, int cutoff) {
        double sum = 0;
        int n = 0;
        for (int t = season; t < cutoff; t++) {
            if (observed == null || observed[t] && observed[t - season]) {
                sum += Math.abs(target[t] - target[t - season]);
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
