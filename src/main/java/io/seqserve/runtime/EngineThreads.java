package io.seqserve.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * How many threads each engine gives one forward pass, and the per-thread half of that setting.
 *
 * <p>TensorFlow and ONNX Runtime size one intra-op pool per session from the properties {@link
 * EngineEnvironment} sets, whatever thread calls them. PyTorch runs a pass on an OpenMP team owned by
 * the calling thread, and OpenMP's team size is a per-thread value: {@code at::set_num_threads} (DJL's
 * {@code JniUtils.setNumThreads}, called once by DJL on the thread that starts the engine) sets it for the
 * calling thread; PyTorch also remembers the last value process-wide and hands it to other threads lazily,
 * and what a thread gets otherwise is libgomp's process default ({@code OMP_NUM_THREADS}, else the core
 * count). On main before this class, a plain {@code java -jar} had worker threads with teams of all cores
 * whose idle members spin against the HTTP threads (counted, bench/README.md). So every thread that runs
 * PyTorch passes sets its own count before its first pass ({@link #limitCurrentThread}) instead of relying
 * on what it inherits.
 */
public final class EngineThreads {

    static final String PYTORCH_INTRA_OP = "ai.djl.pytorch.num_threads";
    private static final ThreadLocal<Boolean> LIMITED = ThreadLocal.withInitial(() -> false);

    private EngineThreads() {}

    /** Gives the calling thread the configured PyTorch intra-op thread count; a no-op for other engines. */
    public static void limitCurrentThread(Engine engine) {
        if (!"PyTorch".equals(engine.getEngineName()) || LIMITED.get()) {
            return;
        }
        JniUtils.setNumThreads(pyTorchIntraOp());
        LIMITED.set(true);
    }

    /** The team size PyTorch passes run with on worker threads. */
    public static int pyTorchIntraOp() {
        return Integer.getInteger(PYTORCH_INTRA_OP, 1);
    }

    /** One line for the start-up log: what each engine will use. */
    static String summary() {
        return "engine threads per forward pass: PyTorch " + pyTorchIntraOp()
                + " intra-op (set on every worker thread), " + prop("ai.djl.pytorch.num_interop_threads")
                + " inter-op; TensorFlow " + prop("ai.djl.tensorflow.num_intraop_threads") + " intra-op, "
                + prop("ai.djl.tensorflow.num_interop_threads") + " inter-op per model; ONNX Runtime "
                + prop("ai.djl.onnxruntime.num_threads") + " intra-op, "
                + prop("ai.djl.onnxruntime.num_interop_threads")
                + " inter-op per model (seqserve.runtime.intra-op-threads / inter-op-threads change them)";
    }

    private static String prop(String key) {
        return System.getProperty(key, "default");
    }
}
