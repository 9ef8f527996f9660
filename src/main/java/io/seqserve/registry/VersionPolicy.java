package io.seqserve.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which versions of one model should be loaded, as a pure function of their states (availability
 * preserving, like TF Serving's): the newest {@code latest} versions that have not failed, plus every
 * labelled version, plus every version live sessions are pinned to (within their grace, which the caller
 * judges). An available version leaves only once no wanted version is still loading, so the old one serves
 * until its successor is ready.
 */
final class VersionPolicy {

    /** {@code pinned}: live sessions use this version and their grace has not run out. */
    record Snapshot(long version, ModelState state, boolean labelled, boolean pinned) {

        Snapshot(long version, ModelState state, boolean labelled) {
            this(version, state, labelled, false);
        }
    }

    /**
     * {@code held}: versions wanted only because sessions are pinned to them (their grace is running);
     * {@code wanted}: every version the policy wants loaded, held ones included.
     */
    record Decision(Set<Long> load, Set<Long> unload, Set<Long> held, Set<Long> wanted) {

        Decision(Set<Long> load, Set<Long> unload) {
            this(load, unload, Set.of(), Set.of());
        }
    }

    private VersionPolicy() {}

    static Decision decide(List<Snapshot> versions, int latest) {
        List<Snapshot> newestFirst = new ArrayList<>(versions);
        newestFirst.sort(Comparator.comparingLong(Snapshot::version).reversed());
        Set<Long> wanted = new TreeSet<>();
        int kept = 0;
        for (Snapshot s : newestFirst) {
            // A labelled version among the newest fills one of the 'latest' slots: the union, not a bonus slot.
            boolean newest = kept < latest && s.state() != ModelState.FAILED;
            if (newest) {
                kept++;
            }
            if (newest || s.labelled()) {
                wanted.add(s.version());
            }
        }
        Set<Long> held = new TreeSet<>();
        for (Snapshot s : newestFirst) {
            if (s.pinned() && !wanted.contains(s.version()) && s.state() != ModelState.FAILED) {
                held.add(s.version());
            }
        }
        wanted.addAll(held);
        boolean settling =
                newestFirst.stream().anyMatch(s -> wanted.contains(s.version()) && s.state() == ModelState.LOADING);
        Set<Long> load = new TreeSet<>();
        Set<Long> unload = new TreeSet<>();
        for (Snapshot s : newestFirst) {
            if (wanted.contains(s.version()) && s.state().loadable()) {
                load.add(s.version());
            } else if (!wanted.contains(s.version()) && s.state() == ModelState.AVAILABLE && !settling) {
                unload.add(s.version());
            }
        }
        if (!load.isEmpty()) {
            unload.clear();
        }
        return new Decision(load, unload, held, wanted);
    }
}
