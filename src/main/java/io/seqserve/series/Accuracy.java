package io.seqserve.series;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates forecast errors: MAE, RMSE, MAPE (points with a zero actual left out), sMAPE (points where
 * actual and forecast are both zero left out), in percent, and interval coverage per level.
 */
public final class Accuracy {

    /**
     * Scores of one method; a score is null when undefined (no non-zero actual for MAPE, a constant
     * in-sample series for MASE). {@code coverage} is the share of actuals inside each interval.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scores(
            int points,
            double mae,
            double rmse,
            Double mape,
            Double smape,
            Double mase,
            Map<String, Double> coverage) {}

    private int points;
    private double absolute;
    private double squared;
    private double percentage;
    private int percentagePoints;
    private double symmetric;
    private int symmetricPoints;
    private final Map<String, int[]> covered = new LinkedHashMap<>();

    public void add(double actual, double forecast) {
        double error = Math.abs(actual - forecast);
        points++;
        absolute += error;
        squared += error * error;
        if (actual != 0) {
            percentage += error / Math.abs(actual);
            percentagePoints++;
        }
        double denominator = Math.abs(actual) + Math.abs(forecast);
        if (denominator > 0) {
            symmetric += 2 * error / denominator;
            symmetricPoints++;
        }
    }

    public void cover(String level, boolean inside) {
        int[] counts = covered.computeIfAbsent(level, l -> new int[2]);
        counts[0] += inside ? 1 : 0;
        counts[1]++;
    }

    public void addAll(Accuracy other) {
        points += other.points;
        absolute += other.absolute;
        squared += other.squared;
        percentage += other.percentage;
        percentagePoints += other.percentagePoints;
        symmetric += other.symmetric;
        symmetricPoints += other.symmetricPoints;
        other.covered.forEach((level, counts) -> {
            int[] mine = covered.computeIfAbsent(level, l -> new int[2]);
            mine[0] += counts[0];
            mine[1] += counts[1];
        });
    }

    public double mae() {
        return points == 0 ? Double.NaN : absolute / points;
    }

    public Scores scores(Double mase) {
        Map<String, Double> coverage = null;
        if (!covered.isEmpty()) {
            coverage = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> e : covered.entrySet()) {
                coverage.put(e.getKey(), (double) e.getValue()[0] / e.getValue()[1]);
            }
        }
        return new Scores(
                points,
                mae(),
                Math.sqrt(squared / points),
                percentagePoints == 0 ? null : 100 * percentage / percentagePoints,
                symmetricPoints == 0 ? null : 100 * symmetric / symmetricPoints,
                mase,
                coverage);
    }
}
