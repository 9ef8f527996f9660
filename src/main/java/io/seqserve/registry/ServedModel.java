package io.seqserve.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One model name in memory: its versions (by number) and its labels. {@link VersionManager} changes it
 * under its lock; lookups read it without one (the map is concurrent, the labels an immutable snapshot).
 */
final class ServedModel {

    final String name;
    final ConcurrentSkipListMap<Long, ModelVersion> versions = new ConcurrentSkipListMap<>();
    volatile Map<String, Long> labels = Map.of();
    /** The canary's share of series ({@link Routing}); null until one is set. */
    volatile Double canaryWeight;

    ServedModel(String name) {
        this.name = name;
    }

    long highestVersion() {
        return versions.isEmpty() ? 0 : versions.lastKey();
    }

    Optional<ModelVersion> newest() {
        return Optional.ofNullable(versions.lastEntry()).map(Map.Entry::getValue);
    }

    /** The newest version in {@link ModelState#AVAILABLE}, if any. */
    Optional<ModelVersion> newestAvailable() {
        return versions.descendingMap().values().stream()
                .filter(v -> v.state() == ModelState.AVAILABLE)
                .findFirst();
    }

    /** The version {@code label} points at, if the label exists and the version is still here. */
    Optional<ModelVersion> labelled(String label) {
        Long target = labels.get(label);
        return target == null ? Optional.empty() : Optional.ofNullable(versions.get(target));
    }

    boolean isLabelled(long version) {
        return labels.containsValue(version);
    }

    /** The labels pointing at {@code version}, sorted. */
    List<String> labelsOf(long version) {
        return labels.entrySet().stream()
                .filter(e -> e.getValue() == version)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }
}
