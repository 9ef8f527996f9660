package io.seqserve.forecasting;

import io.seqserve.series.Conformal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The range a forecast can take, from the manifest's {@code forecasting.bounds} ({@code {lower: 0}} for
 * counts, {@code upper: 100} for a percentage): the means a forecast answers are clipped to it, and so are
 * interval bounds (computed around the clipped mean), so a count's 95 % interval does not reach below zero.
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

    /** A copy of {@code values}, each clipped. */
    double[] clip(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = clip(values[i]);
        }
        return out;
    }

    /** Interval bands with each bound clipped (a null bound, no interval at that step, stays null). */
    Map<String, Conformal.Band> clip(Map<String, Conformal.Band> bands) {
        if (isNone()) {
            return bands;
        }
        Map<String, Conformal.Band> out = new LinkedHashMap<>();
        bands.forEach((level, band) -> out.put(level, new Conformal.Band(clip(band.lower()), clip(band.upper()))));
        return out;
    }

    private Double[] clip(Double[] values) {
        Double[] out = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = clip(values[i]);
        }
        return out;
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
