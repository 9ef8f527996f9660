package io.seqserve.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which versions of one model should be loaded, as a pure function of their states (availability
 * preserving, like TF Serving's): the newest {@code latest} versions that have not failed, plus every
 * labelled version. An available version leaves only once no wanted version is still loading, so the
 * old one serves until its successor is ready.
 */
final class VersionPolicy {

    record Snapshot(long version, ModelState state, boolean labelled) {}

    record Decision(Set<Long> load, Set<Long> unload) {}

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
        return new Decision(load, unload);
    }
}
