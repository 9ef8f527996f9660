package io.seqserve.forecasting;

import java.util.List;

/**
 * The range a forecast can take, from the manifest's {@code forecasting.bounds} ({@code {lower: 0}} for
 * counts, {@code upper: 100} for a percentage): means are clipped to it (and a next-step model recurses from
 * the clipped value), and so are interval bounds, so a count's 95 % interval does not reach below zero.
 * Either end may be left out.
 */
record Bounds(Double lower, Double upper) {

    static final Bounds NONE = new Bounds(null, null);

    double clip(double value) {
        double v = lower != null && value <= lower ? lower : value; // <=: -0.0 becomes 0.0
        return upper != null && v > upper ? upper : v;
    }

    /** A bound of an interval: null (no interval at this step) stays null. */
    Double clip(Double value) {
        return value == null ? null : clip(value.doubleValue());
    }

    boolean isNone() {
        return lower == null && upper == null;
    }

    void problems(List<String> problems) {
        if (lower != null && !Double.isFinite(lower) || upper != null && !Double.isFinite(upper)) {
            problems.add("bounds.lower and bounds.upper must be finite numbers");
        } else if (lower != null && upper != null && lower >= upper) {
            problems.add("bounds.lower must be below bounds.upper");
        }
    }
}
