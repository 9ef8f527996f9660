package io.seqserve.accuracy;

/**
 * Error sums of some scored points: how many, absolute and squared errors, the naive forecast's absolute errors
 * on the same points, and per logged level how many points had an interval and how many fell inside it.
 */
final class Sums {

    long points;
    double absolute;
    double squared;
    double naive;
    final long[] intervals;
    final long[] covered;

    Sums(int levels) {
        intervals = new long[levels];
        covered = new long[levels];
    }

    void add(Sums other) {
        points += other.points;
        absolute += other.absolute;
        squared += other.squared;
        naive += other.naive;
        for (int l = 0; l < intervals.length; l++) {
            intervals[l] += other.intervals[l];
            covered[l] += other.covered[l];
        }
    }

    double mae() {
        return points == 0 ? Double.NaN : absolute / points;
    }

    double rmse() {
        return points == 0 ? Double.NaN : Math.sqrt(squared / points);
    }

    double naiveMae() {
        return points == 0 ? Double.NaN : naive / points;
    }

    /** MAE relative to the naive forecast's on the same points; null when the naive forecast made no error. */
    Double mase() {
        return points == 0 || naive == 0 ? null : absolute / naive;
    }

    /** Share of the points with an interval at level {@code l} that fell inside it; null when none had one. */
    Double coverage(int l) {
        return intervals[l] == 0 ? null : (double) covered[l] / intervals[l];
    }
}
