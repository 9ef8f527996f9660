package io.seqserve.series;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Split conformal prediction intervals: for horizon step h and level L, the half-width is the
 * ceil((n+1)·L/100)-th smallest of the n absolute residuals stored for step h, so a new point falls
 * inside with probability >= L% when its error is exchangeable with the calibration errors.
 */
public final class Conformal {

    /** A half-width; {@code clipped} when there are too few residuals for the level (the largest one is used). */
    public record HalfWidth(double width, boolean clipped) {}

    private static final MathContext STORED_PRECISION = new MathContext(7);
    private final Map<Integer, double[]> sorted;

    private Conformal(Map<Integer, double[]> sorted) {
        this.sorted = sorted;
    }

    public static Conformal of(Map<String, List<Double>> residuals) {
        Map<Integer, double[]> sorted = new TreeMap<>();
        if (residuals != null) {
            residuals.forEach((step, values) -> {
                double[] array =
                        values.stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(array);
                sorted.put(Integer.parseInt(step), array);
            });
        }
        return new Conformal(sorted);
    }

    public boolean isEmpty() {
        return sorted.isEmpty();
    }

    /** The half-width at 1-based horizon {@code step}, or null when that step has no residuals. */
    public HalfWidth halfWidth(int step, double level) {
        double[] r = sorted.get(step);
        if (r == null) {
            return null;
        }
        int k = (int) Math.ceil((r.length + 1) * level / 100.0);
        return new HalfWidth(r[Math.min(k, r.length) - 1], k > r.length);
    }

    /** Lower and upper bounds per horizon step; null at steps without residuals. */
    public record Band(Double[] lower, Double[] upper) {}

    /**
     * Bands around {@code mean} for each level, keyed like Nixtla's ("80", "97.5"); what limits them is
     * added to {@code warnings}.
     */
    public Map<String, Band> bands(double[] mean, List<Double> levels, Set<String> warnings) {
        Map<String, Band> bands = new LinkedHashMap<>();
        for (double level : levels) {
            Double[] lower = new Double[mean.length];
            Double[] upper = new Double[mean.length];
            for (int h = 0; h < mean.length; h++) {
                HalfWidth w = halfWidth(h + 1, level, warnings);
                if (w != null) {
                    lower[h] = mean[h] - w.width();
                    upper[h] = mean[h] + w.width();
                }
            }
            bands.put(key(level), new Band(lower, upper));
        }
        return bands;
    }

    /** {@link #halfWidth(int, double)}, adding to {@code warnings} why it is missing or may be too narrow. */
    public HalfWidth halfWidth(int step, double level, Set<String> warnings) {
        HalfWidth w = halfWidth(step, level);
        if (w == null) {
            warnings.add(
                    "residuals are stored for horizon steps " + sorted.keySet() + " only: other steps have no interval "
                            + "(null bounds, no coverage); store more with :calibrate and a longer horizon");
        } else if (w.clipped()) {
            warnings.add("the " + key(level) + "% interval needs at least " + (int) Math.ceil(level / (100 - level))
                    + " residuals per horizon step; with fewer the largest one is used, so it may be too narrow");
        }
        return w;
    }

    /** A level as a key: 80 -> "80", 97.5 -> "97.5". */
    public static String key(double level) {
        return BigDecimal.valueOf(level).stripTrailingZeros().toPlainString();
    }

    /** Residuals per step as stored in the manifest: keys "1", "2", ..., values rounded to 7 digits. */
    public static Map<String, List<Double>> toManifest(List<List<Double>> perStep) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int h = 0; h < perStep.size(); h++) {
            out.put(
                    String.valueOf(h + 1),
                    perStep.get(h).stream()
                            .map(v -> new BigDecimal(v).round(STORED_PRECISION).doubleValue())
                            .toList());
        }
        return out;
    }
}
