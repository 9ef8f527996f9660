package io.seqserve.registry;

/**
 * Lifecycle of one model version: {@code LOADING -> AVAILABLE | FAILED}; an available version is
 * {@code UNLOADING} while its in-flight requests drain, then {@code UNLOADED}.
 */
public enum ModelState {
    LOADING, AVAILABLE, FAILED, UNLOADING, UNLOADED;

    public String id() {
        return name().toLowerCase();
    }
}
