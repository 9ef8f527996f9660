package io.seqserve.forecasting;

import io.seqserve.Failure;
import tools.jackson.databind.JsonNode;

/**
 * Time steps sent to a live session as JSON: numbers (one variable) or rows of all the model's variables per
 * step. Checked value by value, naming the field ({@code observations[3]}): a value that is not a finite number
 * is INVALID; rows of the wrong width are UNPROCESSABLE (the model reads another number of variables).
 */
final class Observations {

    private Observations() {}

    /**
     * The steps of {@code node} as {@code rows[t][f]}, {@code width} values each. {@code gaps}: {@code null}
     * marks a missing value (NaN, filled later); otherwise every value must be given.
     */
    static double[][] read(JsonNode node, String field, int width, boolean gaps, int maxPoints) {
        if (node == null || node.isNull()) {
            return new double[0][];
        }
        if (!node.isArray() || node.isEmpty()) {
            throw Failure.invalid(field, "must be a non-empty list of numbers or of rows of numbers");
        }
        if ((long) node.size() * width > maxPoints) {
            throw Failure.tooLarge("more than " + maxPoints + " values in one call (seqserve.forecasting.max-points)");
        }
        double[][] rows = new double[node.size()][];
        for (int t = 0; t < rows.length; t++) {
            JsonNode step = node.get(t);
            String at = field + "[" + t + "]";
            if (step.isArray()) {
                if (step.size() != width) {
                    throw Failure.unprocessable(
                            at,
                            "holds " + step.size() + " values but the model reads " + width + " variable"
                                    + (width == 1 ? "" : "s") + " per time step");
                }
                rows[t] = new double[width];
                for (int f = 0; f < width; f++) {
                    rows[t][f] = value(step.get(f), at + "[" + f + "]", gaps);
                }
            } else if (width != 1 && !step.isNull()) {
                throw Failure.unprocessable(
                        at, "is one value but the model reads " + width + " variables per time step: send a row");
            } else {
                rows[t] = new double[width];
                double v = value(step, at, gaps);
                java.util.Arrays.fill(rows[t], v);
            }
        }
        return rows;
    }

    private static double value(JsonNode node, String field, boolean gaps) {
        if (node.isNull()) {
            if (gaps) {
                return Double.NaN;
            }
            throw Failure.invalid(
                    field, "must be a number: a live session cannot fill a gap it has not seen the end of");
        }
        if (!node.isNumber()) {
            throw Failure.invalid(field, "must be a number");
        }
        double v = node.asDouble();
        if (!Double.isFinite(v)) {
            throw Failure.invalid(field, "must be a finite number");
        }
        return v;
    }
}
