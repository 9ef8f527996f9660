package io.seqserve.accuracy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One model's accuracy history: per version and target, {@link Sums} per horizon step in time buckets (by when
 * the actuals came in), {@code steps} steps one by one and later ones pooled in one more. Buckets older than the
 * history are dropped as new points arrive, so it holds at most history / bucket buckets per version and target.
 * Not thread-safe: its {@link ModelBook} guards it.
 */
final class Scoreboard {

    record Key(long version, String target) {}

    /** Pooled sums of one bucket. */
    record Bucket(long start, Sums sums) {}

    private final long bucketMillis;
    private final long historyMillis;
    private final int steps;
    private final int levels;
    private final Map<Key, TreeMap<Long, Sums[]>> history = new HashMap<>();

    Scoreboard(long bucketMillis, long historyMillis, int steps, int levels) {
        this.bucketMillis = bucketMillis;
        this.historyMillis = historyMillis;
        this.steps = steps;
        this.levels = levels;
    }

    /** The slot of a 1-based horizon step: itself up to {@code steps}, then one slot for every later step. */
    int slot(int step) {
        return Math.min(step, steps + 1) - 1;
    }

    /** Adds one scored point of {@code version}'s {@code target} at horizon {@code step}, scored at {@code at}. */
    void add(long version, String target, int step, long at, double error, double naiveError, Boolean[] inside) {
        TreeMap<Long, Sums[]> buckets = history.computeIfAbsent(new Key(version, target), k -> new TreeMap<>());
        Sums[] bucket = buckets.computeIfAbsent(at - Math.floorMod(at, bucketMillis), b -> new Sums[steps + 1]);
        int s = slot(step);
        if (bucket[s] == null) {
            bucket[s] = new Sums(levels);
        }
        Sums sums = bucket[s];
        sums.points++;
        sums.absolute += Math.abs(error);
        sums.squared += error * error;
        sums.naive += Math.abs(naiveError);
        for (int l = 0; l < levels; l++) {
            if (inside[l] != null) {
                sums.intervals[l]++;
                sums.covered[l] += inside[l] ? 1 : 0;
            }
        }
        buckets.headMap(at - historyMillis).clear();
    }

    /** Per slot, the sums of {@code version}'s {@code target} over buckets that start in [from, to]. */
    Sums[] bySlot(long version, String target, long from, long to) {
        Sums[] out = new Sums[steps + 1];
        for (int s = 0; s <= steps; s++) {
            out[s] = new Sums(levels);
        }
        for (Sums[] bucket : range(version, target, from, to).values()) {
            for (int s = 0; s <= steps; s++) {
                if (bucket[s] != null) {
                    out[s].add(bucket[s]);
                }
            }
        }
        return out;
    }

    /** All steps pooled. */
    Sums pooled(long version, String target, long from, long to) {
        Sums total = new Sums(levels);
        for (Sums s : bySlot(version, target, from, to)) {
            total.add(s);
        }
        return total;
    }

    /** Buckets in [from, to] with their steps pooled, oldest first. */
    List<Bucket> overTime(long version, String target, long from, long to) {
        List<Bucket> out = new ArrayList<>();
        range(version, target, from, to).forEach((start, bucket) -> {
            Sums total = new Sums(levels);
            for (Sums s : bucket) {
                if (s != null) {
                    total.add(s);
                }
            }
            out.add(new Bucket(start, total));
        });
        return out;
    }

    /** The start of the oldest bucket with points of {@code version}, or -1. */
    long firstAt(long version) {
        return history.entrySet().stream()
                .filter(e -> e.getKey().version() == version && !e.getValue().isEmpty())
                .mapToLong(e -> e.getValue().firstKey())
                .min()
                .orElse(-1);
    }

    Set<Long> versions() {
        Set<Long> out = new TreeSet<>();
        history.forEach((key, buckets) -> {
            if (!buckets.isEmpty()) {
                out.add(key.version());
            }
        });
        return out;
    }

    /** The targets scored for {@code version}, in the order first seen. */
    List<String> targets(long version) {
        return history.keySet().stream()
                .filter(k -> k.version() == version)
                .map(Key::target)
                .sorted()
                .toList();
    }

    private NavigableMap<Long, Sums[]> range(long version, String target, long from, long to) {
        TreeMap<Long, Sums[]> buckets = history.get(new Key(version, target));
        return buckets == null
                ? new TreeMap<>()
                : buckets.subMap(from - Math.floorMod(from, bucketMillis), true, to, true);
    }
}
