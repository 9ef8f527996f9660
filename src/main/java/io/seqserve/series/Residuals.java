package io.seqserve.series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Absolute forecast errors {@code |actual - forecast|} per horizon step, collected in time order: what
 * training (from its validation part) and {@code :calibrate} (from the request's series) store in the
 * manifest, and {@link Conformal} turns into interval half-widths.
 */
public final class Residuals {

    private final List<List<Double>> perStep = new ArrayList<>();

    public Residuals(int steps) {
        for (int h = 0; h < steps; h++) {
            perStep.add(new ArrayList<>());
        }
    }

    public int steps() {
        return perStep.size();
    }

    /** The error of the forecast of 0-based step {@code h}; NaN forecasts or actuals are not errors and are skipped. */
    public void add(int h, double actual, double forecast) {
        if (!Double.isNaN(actual) && !Double.isNaN(forecast)) {
            perStep.get(h).add(Math.abs(actual - forecast));
        }
    }

    public List<Double> step(int h) {
        return perStep.get(h);
    }

    /** True when every step has at least one error. */
    public boolean complete() {
        return perStep.stream().noneMatch(List::isEmpty);
    }

    /**
     * The manifest form ({@code "1": [...], "2": [...]}, 7 significant digits), keeping the latest {@code keep}
     * errors of each step; steps without errors are left out.
     */
    public Map<String, List<Double>> toManifest(int keep) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int h = 0; h < perStep.size(); h++) {
            List<Double> errors = perStep.get(h);
            if (!errors.isEmpty()) {
                List<Double> latest = errors.subList(Math.max(0, errors.size() - keep), errors.size());
                out.put(
                        String.valueOf(h + 1),
                        Conformal.toManifest(List.of(latest)).get("1"));
            }
        }
        return out;
    }
}
