package io.seqserve.registry;

import io.seqserve.Failure;
import io.seqserve.runtime.EngineChecks;
import io.seqserve.runtime.RuntimeProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which versions are in memory and which of them should be loaded (TF Serving's manager): keeps the
 * models in line with {@link ModelRepository} (scanned every poll interval), asks {@link VersionPolicy}
 * what to load and unload, and has {@link VersionLifecycle} do it. Each finished load or unload applies
 * the policy again, so a swap proceeds by completions, never by waiting. Structure changes hold this
 * object's lock; loads and drains run outside it. {@link RegistryLifecycle} starts it, rescans and stops
 * it.
 */
@Component
class VersionManager {

    private static final Logger log = LoggerFactory.getLogger(VersionManager.class);

    private final ModelRepository repository;
    private final VersionLifecycle lifecycle;
    private final ModelCatalog catalog;
    private final EngineChecks engines;
    private final int latestVersions;
    private final Duration labelWait;
    private final Duration pinGrace;
    private volatile boolean running;
    private volatile boolean initialLoadSettled;

    @Autowired
    VersionManager(
            ModelRepository repository,
            VersionLifecycle lifecycle,
            ModelCatalog catalog,
            EngineChecks engines,
            ModelsProperties properties,
            RuntimeProperties runtime) {
        this(
                repository,
                lifecycle,
                catalog,
                engines,
                properties.latestVersions(),
                runtime.drainTimeout().plus(Labels.LABEL_LOAD_WAIT),
                properties.pinnedVersionGrace());
    }

    VersionManager(
            ModelRepository repository,
            VersionLifecycle lifecycle,
            ModelCatalog catalog,
            EngineChecks engines,
            int latestVersions,
            Duration labelWait) {
        this(repository, lifecycle, catalog, engines, latestVersions, labelWait, Duration.ofMinutes(10));
    }

    VersionManager(
            ModelRepository repository,
            VersionLifecycle lifecycle,
            ModelCatalog catalog,
            EngineChecks engines,
            int latestVersions,
            Duration labelWait,
            Duration pinGrace) {
        this.repository = repository;
        this.lifecycle = lifecycle;
        this.catalog = catalog;
        this.engines = engines;
        this.latestVersions = latestVersions;
        this.labelWait = labelWait;
        this.pinGrace = pinGrace;
    }

    // ---- start (loads, and the self-checks of the engines on disk they wait for), stop, readiness -----

    /** Creates the root, loads what is on disk and starts the self-checks of the engines it needs. */
    void start() {
        repository.create();
        running = true;
        scan();
        engines.start(catalog.engines());
        settleInitialLoad();
    }

    /**
     * Settled when no version is loading: a finished load may make the policy want another version (the
     * newest failed, so the one before it loads), so each round applies the policy and waits for what loads.
     */
    private void settleInitialLoad() {
        List<CompletableFuture<ModelVersion>> loading;
        synchronized (this) {
            catalog.models().forEach(this::applyPolicy);
            loading = catalog.versions()
                    .filter(v -> v.state() == ModelState.LOADING)
                    .map(ModelVersion::settled)
                    .toList();
        }
        if (loading.isEmpty()) {
            initialLoadSettled = true;
            log.info("Initial model load settled: {}", catalog.describe());
        } else {
            CompletableFuture.allOf(loading.toArray(CompletableFuture[]::new))
                    .whenComplete((ok, e) -> settleInitialLoad());
        }
    }

    /** Unloads every version (each drains first) and stops the loader. */
    void stop() {
        running = false;
        List<ModelVersion> live;
        synchronized (this) {
            live = catalog.versions()
                    .filter(v -> v.state() == ModelState.AVAILABLE)
                    .toList();
        }
        CompletableFuture.allOf(live.stream().map(lifecycle::unload).toArray(CompletableFuture[]::new))
                .join();
        lifecycle.shutdown();
    }

    boolean running() {
        return running;
    }

    /** How long a label change waits for its version's load ({@link Labels}). */
    Duration labelWait() {
        return labelWait;
    }

    /** True once every version present at start-up has loaded or failed ({@link Readiness} asks). */
    boolean initialLoadSettled() {
        return initialLoadSettled;
    }

    // ---- keeping memory in line with the disk and the policy --------------------------------------

    /** Brings the in-memory view in line with the directory tree; returns the loads it started. */
    synchronized List<CompletableFuture<ModelVersion>> scan() {
        Map<String, Map<Long, Path>> onDisk = repository.scan();
        for (ServedModel model : catalog.models()) {
            Map<Long, Path> present = onDisk.getOrDefault(model.name, Map.of());
            for (ModelVersion v : List.copyOf(model.versions.values())) {
                if (!present.containsKey(v.version())) {
                    log.info("{} disappeared from disk; unloading", v);
                    model.versions.remove(v.version());
                    lifecycle.unload(v);
                }
            }
            if (model.versions.isEmpty() && !onDisk.containsKey(model.name)) {
                catalog.remove(model.name);
            }
        }
        List<CompletableFuture<ModelVersion>> started = new ArrayList<>();
        onDisk.forEach((name, versions) -> {
            ServedModel model = catalog.getOrCreate(name);
            refreshLabels(model);
            versions.forEach((number, dir) -> model.versions.computeIfAbsent(
                    number, n -> new ModelVersion(name, n, dir, ModelRepository.creationTime(dir))));
            started.addAll(applyPolicy(model));
        });
        return started;
    }

    private void refreshLabels(ServedModel model) {
        try {
            model.labels = repository.readLabels(model.name);
            model.canaryWeight = repository.readCanaryWeight(model.name);
        } catch (IllegalStateException e) {
            log.warn("keeping the previous labels of {}: {}", model.name, e.getMessage());
        }
    }

    /** Starts the loads and unloads the policy asks for; must hold the lock. Returns the loads. */
    List<CompletableFuture<ModelVersion>> applyPolicy(ServedModel model) {
        long now = System.nanoTime();
        List<VersionPolicy.Snapshot> snapshots = model.versions.values().stream()
                .map(v -> new VersionPolicy.Snapshot(
                        v.version(), v.state(), model.isLabelled(v.version()), v.pinnedWithin(pinGrace, now)))
                .toList();
        VersionPolicy.Decision decision = VersionPolicy.decide(snapshots, latestVersions);
        model.versions.values().forEach(v -> v.held(decision, now));
        List<CompletableFuture<ModelVersion>> started = new ArrayList<>();
        for (long number : decision.load()) {
            ModelVersion v = model.versions.get(number);
            started.add(lifecycle.load(v).thenApply(loaded -> afterLoad(model, loaded)));
        }
        for (long number : decision.unload()) {
            lifecycle.unload(model.versions.get(number)).thenRun(() -> reapply(model));
        }
        return started;
    }

    /** A version deleted while it was loading must not stay loaded behind the manager's back. */
    private ModelVersion afterLoad(ServedModel model, ModelVersion v) {
        if (model.versions.get(v.version()) != v) {
            lifecycle.unload(v);
        }
        reapply(model);
        return v;
    }

    private void reapply(ServedModel model) {
        if (running) {
            synchronized (this) {
                applyPolicy(model);
            }
        }
    }

    /** Pins a version for a live session ({@link Pin}); one that is not loaded loads (a restored session). */
    Pin pin(ModelVersion v) {
        v.pin();
        catalog.find(v.name()).filter(m -> v.state() != ModelState.AVAILABLE).ifPresent(this::reapply);
        return new Pin(v, () -> {
            v.unpin();
            catalog.find(v.name()).ifPresent(this::reapply);
        });
    }

    // ---- writes ----------------------------------------------------------------------------------

    /**
     * Publishes a prepared directory as the next version of {@code name} and loads it on the caller's
     * thread. A version that fails to load is removed again: a failed registration leaves nothing behind.
     */
    ModelVersion register(String name, Path staged) {
        ModelRepository.checkName("name", name);
        ServedModel model;
        ModelVersion v;
        synchronized (this) {
            model = catalog.getOrCreate(name);
            ModelRepository.Published published;
            try {
                published = repository.publish(name, model.highestVersion(), staged);
            } catch (RuntimeException e) {
                if (model.versions.isEmpty()) {
                    catalog.remove(name);
                }
                throw e;
            }
            v = new ModelVersion(name, published.version(), published.dir(), Instant.now());
            v.loading();
            model.versions.put(v.version(), v);
        }
        lifecycle.load(v, Runnable::run).join();
        if (v.state() != ModelState.AVAILABLE) {
            Path trash;
            synchronized (this) {
                // Off the disk before the scanner can see the directory without its version.
                trash = repository.moveToTrash(v.dir());
                model.versions.remove(v.version());
                if (model.versions.isEmpty()) {
                    catalog.remove(name);
                    repository.deleteModelDirIfEmpty(name);
                }
            }
            repository.discard(trash);
            throw VersionFailures.registrationFailed(v);
        }
        reapply(model);
        return v;
    }

    /** Removes a version from disk and memory at once; its in-flight requests finish before it closes. */
    void delete(String name, long version) {
        ModelVersion v;
        Path trash;
        synchronized (this) {
            ServedModel model = catalog.model(name);
            v = VersionFailures.numbered(model, version);
            List<String> pointing = model.labelsOf(version);
            if (!pointing.isEmpty()) {
                throw Failure.conflict("version " + version + " of '" + name + "' is labelled " + pointing
                        + "; move or remove the labels first");
            }
            trash = repository.moveToTrash(v.dir());
            model.versions.remove(version);
            applyPolicy(model);
        }
        repository.discard(trash);
        lifecycle.unload(v);
    }
}
