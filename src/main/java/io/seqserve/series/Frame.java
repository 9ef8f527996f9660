package io.seqserve.series;

/**
 * One series as a model's {@link Layout} reads it, in the series' own units.
 *
 * @param values   {@code [t][v]}: the layout's per-step variables in its order (targets, past and future
 *                 covariates), gaps already filled
 * @param future   {@code [j][c]}: the future covariates (in the layout's order of them) at time
 *                 {@code values.length + j}, beyond the values; may be empty
 * @param timeline the series' timestamps, or null when the layout derives no calendar features
 * @param statics  one value per static covariate (empty when there are none)
 * @param id       the series' id, matched against the layout's series ids
 */
public record Frame(double[][] values, double[][] future, Timeline timeline, double[] statics, String id) {

    public static final double[][] NO_FUTURE = new double[0][];
    public static final double[] NO_STATICS = new double[0];

    public int length() {
        return values.length;
    }
}
