package io.seqserve.forecasting;

import java.util.List;

/** Per-feature z-scoring between the series' units and the units the model was trained in. */
record Scaler(double[] mean, double[] std) {

    static final Scaler NONE = new Scaler(null, null);

    static Scaler of(ForecastingSpec.Scaling scaling, int features) {
        if (scaling == null || "none".equals(scaling.method())) {
            return NONE;
        }
        double[] mean = toArray(scaling.mean());
        double[] std = toArray(scaling.std());
        if (mean.length != features) {
            throw new IllegalArgumentException("scaling has " + mean.length + " entries for " + features + " features");
        }
        return new Scaler(mean, std);
    }

    double scale(int feature, double value) {
        return mean == null ? value : (value - mean[feature]) / std[feature];
    }

    double unscale(int feature, double value) {
        return mean == null ? value : value * std[feature] + mean[feature];
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
