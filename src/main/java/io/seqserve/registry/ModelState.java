package io.seqserve.registry;

/**
 * Lifecycle of one model version (TF Serving's START/NEW, LOADING, AVAILABLE, UNLOADING, END):
 * {@code NEW} (found on disk, never loaded) {@code -> LOADING -> AVAILABLE | FAILED}; an available
 * version is {@code UNLOADING} while its in-flight requests drain, then {@code UNLOADED}, from where it
 * may load again (a label brings it back). {@link #id()} is the {@code state} of the HTTP views.
 */
public enum ModelState {
    NEW,
    LOADING,
    AVAILABLE,
    FAILED,
    UNLOADING,
    UNLOADED;

    public String id() {
        return name().toLowerCase();
    }

    /** Not loaded now, and nothing stops it from loading when the policy wants it. */
    boolean loadable() {
        return this == NEW || this == UNLOADED;
    }
}
