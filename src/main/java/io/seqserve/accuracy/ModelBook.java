package io.seqserve.accuracy;

import io.seqserve.series.Timeline;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One model's logged forecasts (by series id and by forecast id) and its {@link Scoreboard}, with the matching of
 * actuals to forecasts. An actual value is matched to every logged forecast that covers its point (forecasts
 * from several origins, and a shadow's copy); each (forecast, target, step) is scored once. Per row of values
 * the outcome is {@code matched} (something was scored), else {@code late} (only forecasts older than
 * {@code max-lateness} cover it), else {@code duplicate} (all were scored already), else {@code unmatched}.
 * Guarded by its own lock.
 */
final class ModelBook {

    enum Outcome {
        MATCHED,
        DUPLICATE,
        LATE,
        UNMATCHED;

        String id() {
            return name().toLowerCase();
        }
    }

    /** A scored point, for the metrics. */
    record Point(long version, String target, int step, double error, double naiveError, Boolean[] inside) {}

    final String model;
    private final Map<String, List<Logged>> bySeries = new HashMap<>();
    private final Map<String, List<Logged>> byId = new HashMap<>();
    private final Scoreboard scores;
    private final List<Double> levels;
    private final long maxLatenessMillis;
    private final long[] outcomes = new long[Outcome.values().length];
    private long lastActual;
    private int forecasts;

    ModelBook(String model, Scoreboard scores, List<Double> levels, long maxLatenessMillis) {
        this.model = model;
        this.scores = scores;
        this.levels = levels;
        this.maxLatenessMillis = maxLatenessMillis;
    }

    synchronized void add(Logged f) {
        bySeries.computeIfAbsent(f.series, s -> new ArrayList<>(2)).add(f);
        byId.computeIfAbsent(f.id, s -> new ArrayList<>(1)).add(f);
        forecasts++;
    }

    synchronized void remove(Logged f) {
        drop(bySeries, f.series, f);
        drop(byId, f.id, f);
        forecasts--;
    }

    private static void drop(Map<String, List<Logged>> map, String key, Logged f) {
        List<Logged> list = map.get(key);
        if (list != null && list.remove(f) && list.isEmpty()) {
            map.remove(key);
        }
    }

    /**
     * Matches one item of actuals and scores what it covers; {@code points} hears each scored point. Returns the
     * outcome of each row that held a value, counted by {@link Outcome}.
     */
    synchronized long[] apply(LogEntry.Actual actual, Consumer<Point> points) {
        long[] counts = new long[Outcome.values().length];
        lastActual = Math.max(lastActual, actual.at());
        List<Logged> candidates = candidates(actual);
        LocalDateTime start = actual.time() == null ? null : LocalDateTime.parse(actual.time());
        for (int i = 0; i < actual.values().length; i++) {
            Double[] row = actual.values()[i];
            if (row == null || java.util.Arrays.stream(row).allMatch(v -> v == null)) {
                continue;
            }
            boolean covered = false;
            boolean late = false;
            boolean scored = false;
            for (Logged f : candidates) {
                int k = step(f, actual, start, i);
                if (k < 0) {
                    continue;
                }
                covered = true;
                if (actual.at() - f.at > maxLatenessMillis) {
                    late = true;
                    continue;
                }
                for (int j = 0; j < Math.min(row.length, f.targets.length); j++) {
                    int bit = j * f.horizon + k - 1;
                    if (row[j] != null && !f.scored.get(bit)) {
                        f.scored.set(bit);
                        points.accept(score(f, j, k, row[j], actual.at()));
                        scored = true;
                    }
                }
            }
            Outcome outcome =
                    scored ? Outcome.MATCHED : late ? Outcome.LATE : covered ? Outcome.DUPLICATE : Outcome.UNMATCHED;
            counts[outcome.ordinal()]++;
        }
        for (int o = 0; o < counts.length; o++) {
            outcomes[o] += counts[o];
        }
        return counts;
    }

    /** The forecasts an item can refer to: of its forecast id (and series, unless the forecast had one), or of its series. */
    private List<Logged> candidates(LogEntry.Actual actual) {
        if (actual.forecast() == null) {
            return bySeries.getOrDefault(actual.series(), List.of());
        }
        List<Logged> all = byId.getOrDefault(actual.forecast(), List.of());
        if (actual.series() != null) {
            return all.stream().filter(f -> f.series.equals(actual.series())).toList();
        }
        return all.stream().map(f -> f.series).distinct().count() == 1 ? all : List.of();
    }

    /** The 1-based step of forecast {@code f} that row {@code i} of the item is for, or -1. */
    private static int step(Logged f, LogEntry.Actual actual, LocalDateTime start, int i) {
        if (actual.forecast() != null) {
            return i < f.horizon ? i + 1 : -1;
        }
        if (actual.step() != null) {
            return f.stepAt(actual.step() + i);
        }
        return f.timeline == null ? -1 : f.stepAt(new Timeline(start, f.timeline.frequency()).at(i));
    }

    private Point score(Logged f, int j, int k, double actual, long at) {
        double error = actual - f.mean[j][k - 1];
        double naive = actual - f.last[j];
        Boolean[] inside = new Boolean[levels.size()];
        for (int l = 0; l < inside.length; l++) {
            float lo = f.lower[j][l][k - 1];
            float hi = f.upper[j][l][k - 1];
            inside[l] = Float.isNaN(lo) || Float.isNaN(hi) ? null : actual >= lo && actual <= hi;
        }
        scores.add(f.version, f.targets[j], k, at, error, naive, inside);
        return new Point(f.version, f.targets[j], k, error, naive, inside);
    }

    /** Reads the scoreboard under the lock. */
    synchronized <T> T read(Function<Scoreboard, T> query) {
        return query.apply(scores);
    }

    synchronized long[] outcomes() {
        return outcomes.clone();
    }

    /** Epoch milliseconds of the newest actuals, 0 when none came in. */
    synchronized long lastActual() {
        return lastActual;
    }

    synchronized int forecasts() {
        return forecasts;
    }
}
