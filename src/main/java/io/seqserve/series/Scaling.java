package io.seqserve.series;

import java.util.List;

/**
 * Per-column z-scoring between a series' units and the units a model reads: {@code (value - mean) / std}.
 * Fitted by training on the training part only (so nothing leaks from validation or test data) and stored in
 * the manifest; served models scale with the stored values. A column with mean 0 and std 1 is left as it is.
 */
public record Scaling(double[] mean, double[] std) {

    /** Constant columns get std 1, so they scale to 0 instead of dividing by zero. */
    static final double MIN_STD = 1e-12;

    public Scaling {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean and std differ in length");
        }
    }

    /** No scaling for {@code columns} columns. */
    public static Scaling none(int columns) {
        double[] mean = new double[columns];
        double[] std = new double[columns];
        java.util.Arrays.fill(std, 1);
        return new Scaling(mean, std);
    }

    /**
     * Mean and population standard deviation per column over the rows {@code [0, ends[i])} of every series
     * {@code series.get(i)} ({@code [t][column]}), all series pooled.
     */
    public static Scaling fit(List<double[][]> series, int[] ends) {
        int columns = series.get(0)[0].length;
        double[] mean = new double[columns];
        double[] std = new double[columns];
        long n = 0;
        for (int i = 0; i < series.size(); i++) {
            n += ends[i];
            for (int t = 0; t < ends[i]; t++) {
                for (int c = 0; c < columns; c++) {
                    mean[c] += series.get(i)[t][c];
                }
            }
        }
        for (int c = 0; c < columns; c++) {
            mean[c] /= n;
        }
        for (int i = 0; i < series.size(); i++) {
            for (int t = 0; t < ends[i]; t++) {
                for (int c = 0; c < columns; c++) {
                    double d = series.get(i)[t][c] - mean[c];
                    std[c] += d * d;
                }
            }
        }
        for (int c = 0; c < columns; c++) {
            double sd = Math.sqrt(std[c] / n);
            std[c] = sd > MIN_STD ? sd : 1;
        }
        return new Scaling(mean, std);
    }

    public int columns() {
        return mean.length;
    }

    public double scale(int column, double value) {
        return (value - mean[column]) / std[column];
    }

    public double unscale(int column, double value) {
        return value * std[column] + mean[column];
    }
}
