package io.seqserve.series;

/**
 * Rolling-origin evaluation windows: {@code windows} forecasts of {@code horizon} steps per series, origins
 * {@code step} apart, the last one ending with the series. A cutoff is the index of the first forecast value,
 * so the forecast reads {@code values[0, cutoff)} and is compared with {@code values[cutoff, cutoff + horizon)}.
 * Backtests and calibration ({@code forecasting}) and the evaluation of a trained model ({@code training})
 * cut their windows here.
 */
public record RollingOrigin(int horizon, int windows, int step) {

    public RollingOrigin {
        if (horizon < 1 || windows < 1 || step < 1) {
            throw new IllegalArgumentException("horizon, windows and step must be >= 1");
        }
    }

    /** Every origin one step apart whose {@code horizon} steps lie in {@code [from, length)}; null when none fits. */
    public static RollingOrigin every(int horizon, int from, int length) {
        int windows = length - horizon - from + 1;
        return windows < 1 ? null : new RollingOrigin(horizon, windows, 1);
    }

    /** Values a series needs so that its first cutoff leaves {@code before} values before it. */
    public int length(int before) {
        return before + horizon + (windows - 1) * step;
    }

    public int[] cutoffs(int length) {
        int[] cutoffs = new int[windows];
        for (int w = 0; w < windows; w++) {
            cutoffs[w] = length - horizon - (windows - 1 - w) * step;
        }
        return cutoffs;
    }
}
