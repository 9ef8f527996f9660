package io.seqserve.registry;

import java.nio.file.AccessDeniedException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Why a version failed to load, kept on the version ({@link ModelVersion#loadFailure()}): the reason shown
 * as its {@code error}, the cause, and whose fault it is ({@link Fault}). The model's fault (a bad artifact
 * or manifest, a failed warm-up) is permanent and does not make the replica unready unless the model is
 * required; requests for it are unprocessable. The environment's fault (the engine is down, out of memory,
 * a native library missing or not loadable, files this process may not read) is the host's: requests get
 * "unavailable" with a Retry-After, and the replica is not ready ({@link Readiness}).
 */
public record LoadFailure(String reason, Throwable cause, Fault fault) {

    /** Whose fault a failed load is; {@link #id()} is the {@code class} of the HTTP views. */
    public enum Fault {
        MODEL,
        ENVIRONMENT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Messages of the engines' own errors for a host that cannot carry the load, as the engines word them:
     * PyTorch's allocator ("DefaultCPUAllocator: can't allocate memory ... Error code 12 (Cannot allocate
     * memory)"), CUDA ("CUDA out of memory"), TensorFlow ("OOM when allocating tensor"), ONNX Runtime
     * ("Failed to allocate memory", std::bad_alloc), the dynamic linker ("failed to map segment from shared
     * object", "cannot open shared object file") and DJL ("Failed to load PyTorch native library").
     */
    private static final List<String> HOST_MESSAGES = List.of(
            "out of memory",
            "can't allocate memory",
            "cannot allocate memory",
            "not enough memory",
            "failed to allocate memory",
            "bad_alloc",
            "oom when allocating",
            "failed to map segment",
            "cannot open shared object file",
            "native library",
            "no space left on device");

    public LoadFailure {
        if (fault == null) {
            throw new IllegalArgumentException("fault is required");
        }
    }

    /** A failure classified from its cause ({@link #classify}). */
    static LoadFailure of(String reason, Throwable cause) {
        return new LoadFailure(reason, cause, classify(cause));
    }

    /** A failure known to be the host's, such as a version whose engine failed its self-check. */
    static LoadFailure environment(String reason, Throwable cause) {
        return new LoadFailure(reason, cause, Fault.ENVIRONMENT);
    }

    public boolean environmental() {
        return fault == Fault.ENVIRONMENT;
    }

    /**
     * ENVIRONMENT when anything in the cause chain (suppressed exceptions included) is out of memory, a
     * native library that would not link or initialise ({@link LinkageError}: UnsatisfiedLinkError,
     * ExceptionInInitializerError, NoClassDefFoundError), a file this process may not read, TensorFlow's
     * resource exhaustion, or carries one of {@link #HOST_MESSAGES}; MODEL otherwise.
     */
    static Fault classify(Throwable cause) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        if (cause != null) {
            pending.add(cause);
        }
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (isHostFailure(t)) {
                return Fault.ENVIRONMENT;
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(List.of(t.getSuppressed()));
        }
        return Fault.MODEL;
    }

    private static boolean isHostFailure(Throwable t) {
        if (t instanceof OutOfMemoryError
                || t instanceof LinkageError
                || t instanceof AccessDeniedException
                || t.getClass().getSimpleName().equals("TFResourceExhaustedException")) {
            return true;
        }
        String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        return HOST_MESSAGES.stream().anyMatch(message::contains);
    }
}
