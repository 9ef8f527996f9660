package io.seqserve.registry;

/**
 * Why a version failed to load, kept on the version ({@link ModelVersion#loadFailure()}): the reason
 * shown as its {@code error}, the cause, and whose fault it is. A model that cannot be loaded (a bad
 * artifact or manifest, a failed warm-up) is the model's fault and requests for it are refused as
 * unprocessable; a load that the host could not carry (out of memory, native libraries missing) is
 * environmental and requests get "unavailable". {@link #environmental(Throwable)} is the one place that
 * decides it, and the hook for a later engine-health check.
 */
public record LoadFailure(String reason, Throwable cause, boolean environmental) {

    static LoadFailure of(String reason, Throwable cause) {
        return new LoadFailure(reason, cause, environmental(cause));
    }

    /** Out of memory or a native library that would not link, anywhere in the cause chain. */
    static boolean environmental(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VirtualMachineError || t instanceof LinkageError) {
                return true;
            }
        }
        return false;
    }
}
