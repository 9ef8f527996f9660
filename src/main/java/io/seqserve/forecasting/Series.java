package io.seqserve.forecasting;

import io.seqserve.series.Fill;
import io.seqserve.series.Frame;
import io.seqserve.series.Timeline;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One series of a request: {@code rows[t][v]} in the series' units (the model's variables in its order), the
 * future covariates after them ({@code future[j][c]}, empty when none were given), the time of its first value
 * and its static covariates (null when not given). As read, {@code NaN} marks a {@code null}; {@link #filled}
 * returns the copy a model reads, with {@code observed[t][v]} telling which values were given (only observed
 * target values are scored by backtests and calibration).
 */
record Series(
        String id,
        String field,
        double[][] rows,
        double[][] future,
        LocalDateTime start,
        double[] statics,
        boolean[][] observed) {

    static Series read(String id, String field, double[][] rows) {
        return new Series(id, field, rows, Frame.NO_FUTURE, null, null, null);
    }

    int length() {
        return rows.length;
    }

    int width() {
        return rows.length == 0 ? 0 : rows[0].length;
    }

    boolean observed(int t, int column) {
        return observed[t][column];
    }

    /** The target column {@code column} as a plain array. */
    double[] column(int column) {
        double[] out = new double[rows.length];
        for (int t = 0; t < rows.length; t++) {
            out[t] = rows[t][column];
        }
        return out;
    }

    boolean[] observedColumn(int column) {
        boolean[] out = new boolean[rows.length];
        for (int t = 0; t < rows.length; t++) {
            out[t] = observed[t][column];
        }
        return out;
    }

    Series filled(Fill fill, List<String> names) {
        double[][] copy = new double[rows.length][];
        boolean[][] given = new boolean[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            copy[t] = rows[t].clone();
            given[t] = new boolean[rows[t].length];
            for (int v = 0; v < rows[t].length; v++) {
                given[t][v] = !Double.isNaN(rows[t][v]);
            }
        }
        fill.apply(copy, field, names);
        return new Series(id, field, copy, future, start, statics, given);
    }

    /** The series as a model's layout reads it; {@code frequency} null when the model derives no calendar features. */
    Frame frame(String frequency) {
        Timeline timeline = frequency == null ? null : new Timeline(start, frequency);
        return new Frame(rows, future, timeline, statics == null ? Frame.NO_STATICS : statics, id);
    }
}
