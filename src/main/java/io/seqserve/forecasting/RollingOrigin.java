package io.seqserve.forecasting;

import io.seqserve.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * Rolling-origin evaluation windows: {@code windows} forecasts of {@code horizon} steps per series, origins
 * {@code step} apart, the last one ending with the series. A cutoff is the index of the first forecast value,
 * so the forecast reads {@code values[0, cutoff)} and is compared with {@code values[cutoff, cutoff + horizon)}.
 */
record RollingOrigin(int horizon, int windows, int step) {

    static RollingOrigin of(int horizon, int windows, int step, int seriesCount, ForecastingProperties limits) {
        if ((long) windows * seriesCount > limits.maxRows()) {
            throw Failure.tooLarge(seriesCount + " series x " + windows + " windows = " + (long) windows * seriesCount
                    + " forecasts per pass; the limit is " + limits.maxRows());
        }
        return new RollingOrigin(horizon, windows, step);
    }

    /** Values a series needs so that its first cutoff leaves {@code before} values before it. */
    int length(int before) {
        return before + horizon + (windows - 1) * step;
    }

    int[] cutoffs(int length) {
        int[] cutoffs = new int[windows];
        for (int w = 0; w < windows; w++) {
            cutoffs[w] = length - horizon - (windows - 1 - w) * step;
        }
        return cutoffs;
    }

    /** The histories to forecast from, series after series, window after window. */
    List<Forecaster.History> histories(List<Series> series) {
        List<Forecaster.History> histories = new ArrayList<>();
        for (Series s : series) {
            for (int cutoff : cutoffs(s.length())) {
                histories.add(new Forecaster.History(s.rows(), cutoff));
            }
        }
        return histories;
    }
}
