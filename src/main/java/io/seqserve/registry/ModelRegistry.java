package io.seqserve.registry;

import io.seqserve.Failure;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What the rest of the service sees of the registry: look a model up and lease the version a request
 * names, over the {@link ModelCatalog} of what is in memory. The parts behind it: {@link ModelRepository}
 * (the files), {@link VersionManager} and {@link VersionLifecycle} (which versions are loaded, and loading,
 * draining and closing them).
 *
 * <p>A bare name serves the {@code production} label's version when it is available, else the newest
 * available version; it never goes to a version that is loading, unloading or failed.
 */
@Component
public class ModelRegistry {

    public static final Pattern NAME = ModelRepository.NAME;
    private static final int LEASE_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelCatalog catalog;
    private final VersionManager manager;
    private final ModelRepository repository;
    private final Readiness readiness;
    private final Labels labels;

    @Autowired
    ModelRegistry(
            ModelCatalog catalog,
            VersionManager manager,
            ModelRepository repository,
            Readiness readiness,
            Labels labels) {
        this.catalog = catalog;
        this.manager = manager;
        this.repository = repository;
        this.readiness = readiness;
        this.labels = labels;
    }

    ModelRegistry(ModelCatalog catalog, VersionManager manager, ModelRepository repository, Readiness readiness) {
        this(catalog, manager, repository, readiness, new Labels(manager, catalog, repository));
    }

    // ---- requests --------------------------------------------------------------------------------

    /**
     * A lease on the version a request names: {@code version} or {@code label} when given, else the bare
     * name's serving version. Looks again when a swap retires the version between lookup and lease, so a
     * swap never fails a request; otherwise throws why the named version cannot serve ({@link VersionFailures}).
     */
    public Lease lease(String name, Long version, String label) {
        ServedModel model = catalog.model(name);
        if (version != null) {
            ModelVersion v = VersionFailures.numbered(model, version);
            return Optional.ofNullable(v.tryLease()).orElseThrow(() -> VersionFailures.cannotServe(model, v));
        }
        for (int attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
            ModelVersion v = label != null
                    ? VersionFailures.labelled(model, label)
                    : serving(model).orElseThrow(() -> VersionFailures.noneAvailable(model));
            Lease lease = v.tryLease();
            if (lease != null) {
                return lease;
            }
            if (label != null && Long.valueOf(v.version()).equals(model.labels.get(label))) {
                throw VersionFailures.cannotServe(model, v);
            }
        }
        throw label != null
                ? VersionFailures.cannotServe(model, VersionFailures.labelled(model, label))
                : VersionFailures.noneAvailable(model);
    }

    /**
     * The version a reference names, for views: an explicit version or label as it is; a bare name's
     * serving version, or when none is available the one that would serve ({@code production}'s, else the
     * newest), so its state and error say why.
     */
    public ModelVersion resolve(String name, Long version, String label) {
        ServedModel model = catalog.model(name);
        if (version != null) {
            return VersionFailures.numbered(model, version);
        }
        if (label != null) {
            return VersionFailures.labelled(model, label);
        }
        return serving(model)
                .or(() -> model.labelled("production"))
                .or(model::newest)
                .orElseThrow(() -> Failure.of(Failure.Code.MODEL_NOT_FOUND, "model '" + name + "' has no versions"));
    }

    private static Optional<ModelVersion> serving(ServedModel model) {
        return model.labelled("production")
                .filter(v -> v.state() == ModelState.AVAILABLE)
                .or(model::newestAvailable);
    }

    /**
     * Pins the version a lease holds for a live session (see {@link Pin}): an alias move or a newer version does
     * not unload it while pinned, up to {@code seqserve.models.pinned-version-grace} after it stopped serving.
     */
    public Pin pin(Lease lease) {
        return manager.pin(lease.version());
    }

    /**
     * Pins version {@code version} of {@code name} by number (a session restored after a restart); a version
     * that is not loaded is loaded again. NOT_FOUND when the version is gone from disk.
     */
    public Pin pin(String name, long version) {
        return manager.pin(VersionFailures.numbered(catalog.model(name), version));
    }

    /**
     * Where the bare name's requests go ({@link Routing}): its serving version, and the {@code canary} and
     * {@code shadow} labels' versions when they are available and not that version.
     */
    public Routing routing(String name) {
        ServedModel model = catalog.model(name);
        ModelVersion production = serving(model).orElse(null);
        Double weight = model.canaryWeight;
        return new Routing(
                production,
                other(model, Routing.CANARY, production),
                weight == null ? Routing.DEFAULT_CANARY_WEIGHT : weight,
                other(model, Routing.SHADOW, production));
    }

    private static ModelVersion other(ServedModel model, String label, ModelVersion production) {
        return model.labelled(label)
                .filter(v -> v.state() == ModelState.AVAILABLE && v != production)
                .orElse(null);
    }

    // ---- views -----------------------------------------------------------------------------------

    /** True when a model of this name is in the catalog (found on disk or registered). */
    public boolean has(String name) {
        return catalog.find(name).isPresent();
    }

    public Collection<String> names() {
        return catalog.names();
    }

    public List<ModelVersion> versions(String name) {
        return List.copyOf(catalog.model(name).versions.values());
    }

    public Map<String, Long> labels(String name) {
        return catalog.find(name).map(m -> m.labels).orElse(Map.of());
    }

    /** Whether this replica should receive traffic ({@link Readiness}). */
    public boolean ready() {
        return readiness.report().ready();
    }

    /** Readiness with the reasons when not ready, for the health endpoint. */
    public Readiness.Report readiness() {
        return readiness.report();
    }

    public Path root() {
        return repository.root();
    }

    // ---- writes ----------------------------------------------------------------------------------

    /**
     * Publishes a prepared version directory (under {@link #stagingDir()}) as the next version of
     * {@code name} and loads it. A version that fails to load is removed again: a failed registration
     * leaves nothing behind.
     */
    public ModelVersion register(String name, Path staged) {
        return manager.register(name, staged);
    }

    /** Removes a version from disk and memory; its in-flight requests finish first. */
    public void delete(String name, long version) {
        manager.delete(name, version);
    }

    /**
     * Points {@code label} at {@code version}, loading that version when it is not loaded. The label is
     * saved before this returns; the future completes when the version is available or failed.
     */
    public CompletableFuture<ModelVersion> setLabel(String name, String label, long version) {
        return labels.set(name, label, version, null);
    }

    /** {@link #setLabel}, with the canary's share of series when the label is {@code canary} (null: unchanged). */
    public CompletableFuture<ModelVersion> setLabel(String name, String label, long version, Double canaryWeight) {
        return labels.set(name, label, version, canaryWeight);
    }

    /** Removes a label; the version it named unloads when nothing else keeps it loaded. */
    public void removeLabel(String name, String label) {
        labels.remove(name, label);
    }

    /**
     * Changes the manifest of a version on disk and in memory, without reloading the model: the whole new
     * manifest is validated, written atomically, then served. Concurrent changes to one version are applied
     * one after the other. Returns the manifest now in use.
     */
    public Manifest updateManifest(ModelVersion version, UnaryOperator<Manifest> change) {
        synchronized (version) {
            Manifest parsed = repository.writeManifest(version.dir(), change.apply(version.manifest()));
            version.replaceManifest(parsed);
            log.info("{} {}: manifest updated", version.name(), version.version());
            return parsed;
        }
    }

    /** A fresh directory on the models volume for preparing a version before it is published. */
    public Path stagingDir() {
        return repository.stagingDir();
    }
}
