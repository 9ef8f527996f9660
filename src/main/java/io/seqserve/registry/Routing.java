package io.seqserve.registry;

import java.nio.charset.StandardCharsets;

/**
 * Where a bare name's forecasts go: {@code production} (the version the bare name serves), a {@code canary}
 * version that takes {@code canaryWeight} of the series, chosen by a hash of the series id so that a series
 * stays on one version, and a {@code shadow} version that gets a copy of each request. Canary and shadow are
 * null unless their label points at an available version other than production. Computed per request from
 * what the catalog holds in memory: a few map lookups, no lock.
 */
public record Routing(ModelVersion production, ModelVersion canary, double canaryWeight, ModelVersion shadow) {

    public static final String CANARY = "canary";
    public static final String SHADOW = "shadow";
    /** The share of series a canary gets until a weight is set with its label. */
    public static final double DEFAULT_CANARY_WEIGHT = 0.1;

    /** True when the series with this id goes to the canary: the same answer for the same id, on any replica. */
    public boolean toCanary(String seriesId) {
        return canary != null && canaryWeight > 0 && share(seriesId) < canaryWeight;
    }

    /**
     * The id's place in [0, 1): FNV-1a over its UTF-8 bytes, then a 64-bit finalizer (from SplitMix64) so that
     * ids that differ in one character spread evenly; stable across JVMs and restarts, unlike a seeded hash.
     */
    static double share(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }
}
