package io.seqserve.series;

/**
 * One variable of a forecasting model, in its own units, and how it is scaled for the model.
 *
 * @param role what the model knows of it: a {@code TARGET} it predicts, a {@code PAST} covariate known up to
 *     now only, a {@code FUTURE} covariate known over the horizon too (calendar, holidays, plans), or a
 *     {@code STATIC} covariate, one value per series
 */
public record Variable(String name, Role role, double mean, double std) {

    public enum Role {
        TARGET,
        PAST,
        FUTURE,
        STATIC
    }

    public Variable {
        if (!(std > 0) || !Double.isFinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("'" + name + "': scaling needs a finite mean and a finite std > 0");
        }
    }

    /** A variable read as it is (no scaling). */
    public static Variable unscaled(String name, Role role) {
        return new Variable(name, role, 0, 1);
    }

    public boolean scaled() {
        return mean != 0 || std != 1;
    }

    public double scale(double value) {
        return (value - mean) / std;
    }

    public double unscale(double value) {
        return value * std + mean;
    }
}
