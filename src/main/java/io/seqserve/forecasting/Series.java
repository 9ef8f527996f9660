package io.seqserve.forecasting;

/**
 * One series of a request: {@code rows[t][f]} in the series' units. As read, {@code NaN} marks a
 * {@code null}; {@link #filled} returns the copy a model reads, with {@code observed[t]} telling which
 * target values were given (only those are scored by backtests and calibration).
 */
record Series(String id, String field, double[][] rows, boolean[] observed) {

    static Series read(String id, String field, double[][] rows) {
        return new Series(id, field, rows, null);
    }

    int length() {
        return rows.length;
    }

    int width() {
        return rows.length == 0 ? 0 : rows[0].length;
    }

    Series filled(Fill fill, int target) {
        double[][] copy = new double[rows.length][];
        boolean[] given = new boolean[rows.length];
        for (int t = 0; t < rows.length; t++) {
            copy[t] = rows[t].clone();
            given[t] = !Double.isNaN(rows[t][target]);
        }
        fill.apply(copy, field);
        return new Series(id, field, copy, given);
    }
}
