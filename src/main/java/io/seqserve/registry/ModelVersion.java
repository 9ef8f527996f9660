package io.seqserve.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One numbered version of a model and its lifecycle. State changes come from the registry only;
 * requests read it through {@link #tryLease()}, which never hands out a version that is not available.
 */
public final class ModelVersion {

    private final String name;
    private final long version;
    private final Path dir;
    private final Instant createdAt;
    private final AtomicInteger leases = new AtomicInteger();
    private volatile ModelState state = ModelState.UNLOADED;
    private volatile String error;
    private volatile Manifest manifest = Manifest.EMPTY;
    private volatile ModelFormat format;
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
        // Count first, then check: a concurrent unload that flips the state waits for this count.
        leases.incrementAndGet();
        if (state != ModelState.AVAILABLE) {
            leases.decrementAndGet();
            return null;
        }
        return new Lease(this);
    }

    void release() {
        leases.decrementAndGet();
    }

    int openLeases() {
        return leases.get();
    }

    synchronized void loading() {
        state = ModelState.LOADING;
        error = null;
        unloadClaimed = false;
    }

    void available(Manifest manifest, ModelLoader.Result result, Duration took) {
        this.manifest = manifest;
        this.format = result.format();
        this.signature = result.signature();
        this.loaded = result.model();
        this.warnings = List.copyOf(result.warnings());
        this.loadTime = took;
        this.state = ModelState.AVAILABLE;
    }

    /** Swaps the manifest of a loaded version after {@link ModelRegistry#updateManifest} wrote it to disk. */
    void replaceManifest(Manifest manifest) {
        this.manifest = manifest;
    }

    void failed(Manifest manifest, String reason, Duration took) {
        this.manifest = manifest;
        this.error = reason;
        this.loadTime = took;
        this.state = ModelState.FAILED;
    }

    /** Stops new leases at once; the unload itself follows on another thread. */
    synchronized void markUnloading() {
        if (state == ModelState.AVAILABLE) {
            state = ModelState.UNLOADING;
        }
    }

    /**
     * Stops new leases and hands the live model to exactly one caller, who waits for open leases and
     * closes it; every other caller (a policy pass racing a delete) gets null.
     */
    synchronized LoadedModel claimUnload() {
        if (state == ModelState.AVAILABLE) {
            state = ModelState.UNLOADING;
        }
        if (unloadClaimed || loaded == null) {
            return null;
        }
        unloadClaimed = true;
        return loaded;
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

    public String error() {
        return error;
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
