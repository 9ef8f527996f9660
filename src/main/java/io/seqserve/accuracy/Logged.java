package io.seqserve.accuracy;

import io.seqserve.series.Timeline;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.List;

/**
 * A logged forecast of one series by one version, as the index keeps it in memory: floats, interval bounds per
 * target, level and step ({@code NaN} where the model had no residuals), and which (target, step) points were
 * scored already (a second actual for one of them is a duplicate).
 */
final class Logged {

    final ModelBook book;
    final String id;
    final String series;
    final long version;
    final String route;
    final long at;
    final int horizon;
    final int origin;
    final Timeline timeline;
    final String[] targets;
    final float[][] mean;
    final float[] last;
    final float[][][] lower;
    final float[][][] upper;
    final BitSet scored;

    Logged(ModelBook book, LogEntry.Forecast entry, List<Double> levels) {
        this.book = book;
        this.id = entry.id();
        this.series = entry.series();
        this.version = entry.version();
        this.route = entry.route();
        this.at = entry.at();
        this.horizon = entry.horizon();
        this.origin = entry.origin();
        this.timeline = entry.time() == null || entry.frequency() == null
                ? null
                : new Timeline(LocalDateTime.parse(entry.time()), entry.frequency());
        int t = entry.targets().size();
        targets = new String[t];
        mean = new float[t][];
        last = new float[t];
        lower = new float[t][levels.size()][];
        upper = new float[t][levels.size()][];
        for (int j = 0; j < t; j++) {
            LogEntry.Target target = entry.targets().get(j);
            targets[j] = target.name();
            mean[j] = target.mean();
            last[j] = (float) target.last();
            for (int l = 0; l < levels.size(); l++) {
                // The entry's levels may differ from today's configuration: match them by value.
                int k = entry.levels() == null ? -1 : entry.levels().indexOf(levels.get(l));
                lower[j][l] = bounds(k < 0 || target.lower() == null ? null : target.lower()[k], horizon);
                upper[j][l] = bounds(k < 0 || target.upper() == null ? null : target.upper()[k], horizon);
            }
        }
        scored = new BitSet(t * horizon);
    }

    private static float[] bounds(Float[] stored, int horizon) {
        float[] out = new float[horizon];
        for (int h = 0; h < horizon; h++) {
            out[h] = stored == null || h >= stored.length || stored[h] == null ? Float.NaN : stored[h];
        }
        return out;
    }

    /** The 1-based horizon step at series position {@code position}, or -1 when the forecast does not cover it. */
    int stepAt(long position) {
        long k = position - origin + 1;
        return k >= 1 && k <= horizon ? (int) k : -1;
    }

    /** The 1-based horizon step at {@code time}, or -1 when the forecast has no timestamps or does not cover it. */
    int stepAt(LocalDateTime time) {
        if (timeline == null || time.isBefore(timeline.start())) {
            return -1;
        }
        long apart = Duration.between(timeline.start(), time).toSeconds();
        long step =
                Math.max(1, Duration.between(timeline.start(), timeline.at(1)).toSeconds());
        long guess = apart / step;
        for (long k = Math.max(0, guess - 1); k <= guess + 1 && k < horizon; k++) {
            if (timeline.at(k).equals(time)) {
                return (int) k + 1;
            }
        }
        return -1;
    }

    /** Approximate bytes held, for the index's memory bound. */
    long bytes() {
        return 200L + (long) targets.length * (horizon * 4L * (1 + 2L * lower[0].length) + 64);
    }
}
