package io.seqserve.registry;

import io.seqserve.Failure;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Label writes: point a label at a version, remove one, and the canary's weight. Each holds the
 * {@link VersionManager}'s lock while it saves the change and applies the version policy (a labelled version
 * stays loaded; a version that loses its last label may unload), as the manager's own structure changes do.
 */
@Component
class Labels {

    /** How long a label change waits for its version to load, beyond the drain of the version's previous life. */
    static final Duration LABEL_LOAD_WAIT = Duration.ofSeconds(60);

    private final VersionManager manager;
    private final ModelCatalog catalog;
    private final ModelRepository repository;

    Labels(VersionManager manager, ModelCatalog catalog, ModelRepository repository) {
        this.manager = manager;
        this.catalog = catalog;
        this.repository = repository;
    }

    /**
     * Points {@code label} at {@code version} (saved before this returns) and lets the policy load that
     * version when it is not loaded. A {@code canaryWeight} (only with the {@code canary} label) is saved
     * first. The future completes with the version once it is available or failed, or with it as it is then
     * after the drain timeout plus {@link #LABEL_LOAD_WAIT}; no thread waits for it.
     */
    CompletableFuture<ModelVersion> set(String name, String label, long version, Double canaryWeight) {
        ModelRepository.checkName("label", label);
        if (canaryWeight != null && !Routing.CANARY.equals(label)) {
            throw Failure.invalid("weight", "is the canary's share of series; only the label 'canary' takes one");
        }
        ModelVersion v;
        synchronized (manager) {
            ServedModel model = catalog.model(name);
            v = VersionFailures.numbered(model, version);
            if (v.state() == ModelState.FAILED) {
                throw Failure.conflict("version " + version + " failed to load: " + v.error());
            }
            if (canaryWeight != null) {
                repository.writeCanaryWeight(name, canaryWeight);
                model.canaryWeight = canaryWeight;
            }
            Map<String, Long> labels = new TreeMap<>(model.labels);
            labels.put(label, version);
            save(model, labels);
        }
        Duration wait = manager.labelWait();
        return v.settled().copy().completeOnTimeout(v, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Removes {@code label}; the version it named unloads when nothing else keeps it. NOT_FOUND without the label. */
    void remove(String name, String label) {
        synchronized (manager) {
            ServedModel model = catalog.model(name);
            Map<String, Long> labels = new TreeMap<>(model.labels);
            if (labels.remove(label) == null) {
                throw Failure.notFound("model '" + name + "' has no label '" + label + "'");
            }
            save(model, labels);
        }
    }

    /** Must hold the manager's lock. */
    private void save(ServedModel model, Map<String, Long> labels) {
        repository.writeLabels(model.name, labels);
        model.labels = Map.copyOf(labels);
        manager.applyPolicy(model);
    }
}
