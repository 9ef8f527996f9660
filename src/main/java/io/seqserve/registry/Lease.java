package io.seqserve.registry;

/**
 * A claim on an available version for the length of one request; the version is not closed while a
 * lease is open. Close it exactly once, when the request's work is done.
 */
public final class Lease implements AutoCloseable {

    private final ModelVersion version;
    private boolean closed;

    Lease(ModelVersion version) {
        this.version = version;
    }

    public ModelVersion version() {
        return version;
    }

    public LoadedModel model() {
        return version.loaded();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            version.release();
        }
    }
}
