package io.seqserve.training.task;

import io.seqserve.Failure;
import java.util.Arrays;
import java.util.List;

/**
 * A cleaned series, {@code values[time][feature]}: gaps filled by linear interpolation between the
 * nearest known values (and the nearest known value at either end). {@code target} is the feature
 * being forecast.
 */
public record CleanedSeries(double[][] values, int target, List<String> features) {

    int length() {
        return values.length;
    }

    int width() {
        return features.size();
    }

    double target(int t) {
        return values[t][target];
    }

    /** Builds a series from columns ({@code [feature][time]}, NaN where missing). */
    static CleanedSeries of(double[][] columns, int target, List<String> names) {
        int length = columns[0].length;
        double[][] values = new double[length][columns.length];
        for (int f = 0; f < columns.length; f++) {
            double[] filled = interpolate(columns[f], names.get(f));
            for (int t = 0; t < length; t++) {
                values[t][f] = filled[t];
            }
        }
        return new CleanedSeries(values, target, List.copyOf(names));
    }

    static double[] interpolate(double[] raw, String name) {
        double[] out = raw.clone();
        int previous = -1;
        for (int t = 0; t < out.length; t++) {
            if (Double.isNaN(out[t])) {
                continue;
            }
            if (previous == -1) {
                Arrays.fill(out, 0, t, out[t]);
            } else {
                for (int g = previous + 1; g < t; g++) {
                    out[g] = out[previous] + (out[t] - out[previous]) * (g - previous) / (t - previous);
                }
            }
            previous = t;
        }
        if (previous == -1) {
            throw Failure.unprocessable("dataset", "'" + name + "' has no values");
        }
        Arrays.fill(out, previous + 1, out.length, out[previous]);
        return out;
    }

    /** Z-scoring per feature, fitted on {@code [0, end)} only, so nothing leaks from validation or test data. */
    Scaling fitScaling(int end) {
        int width = width();
        double[] mean = new double[width];
        double[] std = new double[width];
        for (int f = 0; f < width; f++) {
            double sum = 0;
            for (int t = 0; t < end; t++) {
                sum += values[t][f];
            }
            mean[f] = sum / end;
            double sq = 0;
            for (int t = 0; t < end; t++) {
                sq += (values[t][f] - mean[f]) * (values[t][f] - mean[f]);
            }
            double sd = Math.sqrt(sq / end);
            std[f] = sd > 1e-12 ? sd : 1;
        }
        return new Scaling(mean, std);
    }

    record Scaling(double[] mean, double[] std) {

        float scale(double value, int feature) {
            return (float) ((value - mean[feature]) / std[feature]);
        }

        double unscale(double value, int feature) {
            return value * std[feature] + mean[feature];
        }
    }
}
