package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import io.seqserve.registry.LoadFailure.Fault;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/**
 * Whose fault a failed load is. The messages are the engines' own, as they were seen on this project's
 * machines (a noexec tmpfs, a bogus library path, an allocation the host cannot carry, corrupt files);
 * {@link RealEngineFailureTest} has PyTorch produce its own.
 */
class LoadFailureTest {

    static Fault of(Throwable cause) {
        return LoadFailure.classify(new LoadException("the engine could not load the model", cause));
    }

    @Test
    void nativeLibrariesThatDoNotLoadAreTheEnvironmentsFault() {
        // PyTorch with DJL's cache on a noexec tmpfs
        assertThat(
                        of(
                                new EngineException(
                                        "Failed to load PyTorch native library",
                                        new UnsatisfiedLinkError(
                                                "/tmp/djl/pytorch/2.7.1-cpu-linux-x86_64/libgomp-98b21ff3.so.1: failed to map segment from shared object"))))
                .isEqualTo(Fault.ENVIRONMENT);
        // TensorFlow pointed at a folder without its natives, offline
        assertThat(of(new EngineException(
                        "Failed to load TensorFlow native library",
                        new IllegalStateException(
                                "Failed to download Tensorflow native library",
                                new IOException("Offline mode is enabled.")))))
                .isEqualTo(Fault.ENVIRONMENT);
        // ONNX Runtime: the first use fails in a static initialiser, later ones with NoClassDefFoundError
        assertThat(of(new ExceptionInInitializerError())).isEqualTo(Fault.ENVIRONMENT);
        assertThat(of(new NoClassDefFoundError(
                        "Could not initialize class ai.djl.onnxruntime.engine.OrtEngineProvider$InstanceHolder")))
                .isEqualTo(Fault.ENVIRONMENT);
        assertThat(of(new EngineException(
                        "Failed to extract PyTorch native library", new IOException("No space left on device"))))
                .isEqualTo(Fault.ENVIRONMENT);
    }

    @Test
    void memoryTheHostCannotGiveIsTheEnvironmentsFault() {
        assertThat(of(new OutOfMemoryError("Java heap space"))).isEqualTo(Fault.ENVIRONMENT);
        assertThat(of(new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB")))
                .isEqualTo(Fault.ENVIRONMENT);
        assertThat(of(new RuntimeException("Error code - ORT_RUNTIME_EXCEPTION - message: std::bad_alloc")))
                .isEqualTo(Fault.ENVIRONMENT);
    }

    @Test
    void filesThisProcessMayNotReadAreTheEnvironmentsFault() {
        assertThat(of(new AccessDeniedException("/models/m/1/saved_model.pb"))).isEqualTo(Fault.ENVIRONMENT);
    }

    @Test
    void causesHiddenInSuppressedExceptionsCount() {
        Exception outer =
                new IOException("No model with the specified URI or the matching Input/Output type is found.");
        outer.addSuppressed(
                new UnsatisfiedLinkError("libtorch.so: cannot open shared object file: No such file or directory"));
        assertThat(of(outer)).isEqualTo(Fault.ENVIRONMENT);
    }

    @Test
    void brokenFilesAndManifestsAreTheModelsFault() {
        assertThat(of(new EngineException("PytorchStreamReader failed reading zip archive: not a ZIP archive")))
                .isEqualTo(Fault.MODEL);
        assertThat(
                        of(
                                new MalformedModelException(
                                        "ONNX Model cannot be loaded",
                                        new RuntimeException(
                                                "Error code - ORT_INVALID_PROTOBUF - message: Load model from /m/1/model.onnx failed:Protobuf parsing failed."))))
                .isEqualTo(Fault.MODEL);
        assertThat(LoadFailure.classify(
                        new LoadException("warm-up prediction failed: Incompatible shapes: [1,8] vs. [1,24]")))
                .isEqualTo(Fault.MODEL);
        assertThat(LoadFailure.classify(
                        new ManifestReader.InvalidManifestException("format must be one of savedmodel, ...")))
                .isEqualTo(Fault.MODEL);
        assertThat(LoadFailure.classify(null)).isEqualTo(Fault.MODEL);
    }

    @Test
    void aCauseChainWithACycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(LoadFailure.classify(b)).isEqualTo(Fault.MODEL);
    }
}
