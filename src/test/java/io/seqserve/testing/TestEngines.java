package io.seqserve.testing;

import io.seqserve.runtime.NativeLibraries;
import java.nio.file.Path;

/**
 * What the application's environment post-processor does before any engine starts, for tests that use
 * DJL before (or without) a Spring context: offline mode and the extracted TensorFlow natives.
 */
public final class TestEngines {

    private TestEngines() {}

    public static synchronized void prepare() {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("ai.djl.default_engine") == null) {
            System.setProperty("ai.djl.default_engine", "PyTorch");
        }
        NativeLibraries.prepareTensorFlow(Path.of(System.getProperty("user.home"), ".djl.ai", "seqserve"));
    }
}
