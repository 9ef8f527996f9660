package io.seqserve.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One numbered version of a model and its lifecycle state. State changes come from {@link VersionLifecycle}
 * and {@link VersionManager} only; requests read it through {@link #tryLease()}, which never hands out a
 * version that is not available. The futures here are how the lifecycle waits without polling:
 * {@link #drained()} completes when the last lease of an unloading version closes, {@link #settled()}
 * when a load ends.
 */
public final class ModelVersion {

    private final String name;
    private final long version;
    private final Path dir;
    private final Instant createdAt;
    private final AtomicInteger leases = new AtomicInteger();
    private volatile ModelState state = ModelState.NEW;
    private volatile LoadFailure failure;
    private volatile CompletableFuture<Void> drained = CompletableFuture.completedFuture(null);
    private CompletableFuture<ModelVersion> settling;
    private volatile Manifest manifest = Manifest.EMPTY;
    private volatile ModelFormat format;
    private volatile Optional<String> engine;
    private volatile Signature signature;
    private volatile LoadedModel loaded;
    private volatile Duration loadTime;
    private volatile List<String> warnings = List.of();
    private boolean unloadClaimed;

    ModelVersion(String name, long version, Path dir, Instant createdAt) {
        this.name = name;
        this.version = version;
        this.dir = dir;
        this.createdAt = createdAt;
    }

    /** A detached view of a version that loaded but is not published yet, for {@link TaskCheck}s. */
    static ModelVersion candidate(ModelVersion v, Manifest manifest, Signature signature) {
        ModelVersion view = new ModelVersion(v.name, v.version, v.dir, v.createdAt);
        view.manifest = manifest;
        view.signature = signature;
        view.state = ModelState.LOADING;
        return view;
    }

    /** A lease when the version is available, else null. */
    Lease tryLease() {
        // Count first, then check: an unload that flips the state sees this count, or this sees its state.
        leases.incrementAndGet();
        if (state != ModelState.AVAILABLE) {
            release();
            return null;
        }
        return new Lease(this);
    }

    /** Closes one lease; the last one out of an unloading version completes its drain. */
    void release() {
        if (leases.decrementAndGet() == 0 && state == ModelState.UNLOADING) {
            drained.complete(null);
        }
    }

    int openLeases() {
        return leases.get();
    }

    /** A load starts (again); a version already loading stays as it is. */
    synchronized void loading() {
        if (state != ModelState.LOADING) {
            state = ModelState.LOADING;
            failure = null;
            unloadClaimed = false;
        }
    }

    void available(Manifest manifest, ModelLoader.Result result, Duration took) {
        CompletableFuture<ModelVersion> waiting;
        synchronized (this) {
            this.manifest = manifest;
            this.format = result.format();
            this.signature = result.signature();
            this.loaded = result.model();
            this.warnings = List.copyOf(result.warnings());
            this.loadTime = took;
            this.state = ModelState.AVAILABLE;
            waiting = takeSettling();
        }
        settle(waiting);
    }

    void failed(Manifest manifest, LoadFailure failure, Duration took) {
        CompletableFuture<ModelVersion> waiting;
        synchronized (this) {
            this.manifest = manifest;
            this.failure = failure;
            this.loadTime = took;
            this.state = ModelState.FAILED;
            waiting = takeSettling();
        }
        settle(waiting);
    }

    private CompletableFuture<ModelVersion> takeSettling() {
        CompletableFuture<ModelVersion> waiting = settling;
        settling = null;
        return waiting;
    }

    /** Outside this version's lock: what waits on it may take the manager's lock, which is taken before this one. */
    private void settle(CompletableFuture<ModelVersion> waiting) {
        if (waiting != null) {
            waiting.complete(this);
        }
    }

    /**
     * Completes with this version once it is available or failed: at once when it is, else when its
     * next load ends (a version that is unloading first unloads, then loads again when the policy wants it).
     */
    synchronized CompletableFuture<ModelVersion> settled() {
        if (state == ModelState.AVAILABLE || state == ModelState.FAILED) {
            return CompletableFuture.completedFuture(this);
        }
        if (settling == null) {
            settling = new CompletableFuture<>();
        }
        return settling;
    }

    /** Swaps the manifest of a loaded version after {@link ModelRegistry#updateManifest} wrote it to disk. */
    void replaceManifest(Manifest manifest) {
        this.manifest = manifest;
    }

    /** Stops new leases at once; the unload itself follows on another thread. */
    synchronized void markUnloading() {
        if (state == ModelState.AVAILABLE) {
            drained = new CompletableFuture<>();
            state = ModelState.UNLOADING;
            if (leases.get() == 0) {
                drained.complete(null);
            }
        }
    }

    /**
     * Stops new leases and hands the live model to exactly one caller, who waits for {@link #drained()}
     * and closes it; every other caller (a policy pass racing a delete) gets null.
     */
    synchronized LoadedModel claimUnload() {
        markUnloading();
        if (unloadClaimed || loaded == null) {
            return null;
        }
        unloadClaimed = true;
        return loaded;
    }

    /** Completes when the last lease open at the start of the unload is closed. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    synchronized void unloaded() {
        loaded = null;
        state = ModelState.UNLOADED;
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public Path dir() {
        return dir;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public ModelState state() {
        return state;
    }

    /** The reason the last load failed, null unless the version is {@link ModelState#FAILED}. */
    public String error() {
        LoadFailure f = failure;
        return f == null ? null : f.reason();
    }

    public LoadFailure loadFailure() {
        return failure;
    }

    /**
     * The engine this version's files need (from the manifest's format, else from the files), read once;
     * null when neither says. What the models root needs for readiness, and what a load checks first.
     */
    public String engine() {
        Optional<String> known = engine;
        if (known == null) {
            known = format != null
                    ? Optional.of(format.engine())
                    : ModelFormat.of(dir).map(ModelFormat::engine);
            engine = known;
        }
        return known.orElse(null);
    }

    public Manifest manifest() {
        return manifest;
    }

    public ModelFormat format() {
        return format;
    }

    public Signature signature() {
        return signature;
    }

    public LoadedModel loaded() {
        return loaded;
    }

    public Duration loadTime() {
        return loadTime;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** The SavedModel signature key served (TF Serving's {@code signature_name}). */
    public String signatureName() {
        return manifest.signature() == null ? SignatureReader.SERVING_DEFAULT : manifest.signature();
    }

    public String task() {
        return manifest.taskOrDefault();
    }

    @Override
    public String toString() {
        return name + "/" + version + " (" + state.id() + ")";
    }
}
