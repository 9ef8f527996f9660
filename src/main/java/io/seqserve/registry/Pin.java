package io.seqserve.registry;

/**
 * A live session's claim on its model version: the version stays loaded while pinned, also after it stops
 * serving new requests (an alias moved, a newer version arrived), for at most
 * {@code seqserve.models.pinned-version-grace}. Close it once, when the session ends; closing again does nothing.
 */
public final class Pin implements AutoCloseable {

    private final ModelVersion version;
    private final Runnable release;
    private boolean closed;

    Pin(ModelVersion version, Runnable release) {
        this.version = version;
        this.release = release;
    }

    public ModelVersion version() {
        return version;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release.run();
    }
}
