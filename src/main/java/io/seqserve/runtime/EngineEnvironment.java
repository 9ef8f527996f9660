package io.seqserve.runtime;

import java.nio.file.Path;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Sets DJL's process-wide switches before any bean can touch an engine: offline mode, the default
 * engine, engine thread counts and the TensorFlow native library path. DJL reads these as system
 * properties, so they must be in place before the first engine class initialises. Logs what each engine
 * will use once logging is up.
 */
public class EngineEnvironment implements EnvironmentPostProcessor {

    private final Log log;

    public EngineEnvironment(DeferredLogFactory logs) {
        this.log = logs.getLog(EngineEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        System.setProperty("ai.djl.offline", "true");
        setIfAbsent("ai.djl.default_engine", "PyTorch");
        setIfAbsent("ai.djl.disable_close_resource_on_finalize", "true");
        // PyTorch runs each pass on an OpenMP team of the calling thread, whose members wait on each other on
        // shared cores: one thread by default, set on every worker thread (EngineThreads, bench/README.md).
        // TensorFlow and ONNX Runtime keep one pool per session, which a batched pass can use whole: the
        // cores by default.
        String explicit = env.getProperty("seqserve.runtime.intra-op-threads");
        String pools = explicit != null
                ? explicit
                : String.valueOf(Runtime.getRuntime().availableProcessors());
        String inter = env.getProperty("seqserve.runtime.inter-op-threads", "1");
        setIfAbsent("ai.djl.pytorch.num_threads", explicit != null ? explicit : "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", inter);
        setIfAbsent("ai.djl.tensorflow.num_intraop_threads", pools);
        setIfAbsent("ai.djl.tensorflow.num_interop_threads", inter);
        setIfAbsent("ai.djl.onnxruntime.num_threads", pools);
        setIfAbsent("ai.djl.onnxruntime.num_interop_threads", inter);
        String cache = env.getProperty(
                "seqserve.runtime.native-cache",
                Path.of(System.getProperty("user.home"), ".djl.ai", "seqserve").toString());
        NativeLibraries.prepareTensorFlow(Path.of(cache));
        log.info(EngineThreads.summary());
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
