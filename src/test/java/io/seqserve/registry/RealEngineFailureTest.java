package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.seqserve.registry.LoadFailure.Fault;
import io.seqserve.testing.EngineTest;
import io.seqserve.testing.TestEngines;
import org.junit.jupiter.api.Test;

/** A failure the real engine produces, classified as {@link LoadFailureTest} classifies the recorded ones. */
@EngineTest
class RealEngineFailureTest {

    @Test
    void aRealAllocationFailureIsTheEnvironmentsFault() {
        TestEngines.prepare();
        Exception failure = null;
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            // 1 PiB: more than a 64-bit address space holds, so the allocator refuses at once even with overcommit.
            manager.ones(new Shape(1L << 24, 1L << 26)).toFloatArray();
        } catch (Exception e) {
            failure = e;
        }
        assertThat(failure).as("PyTorch refused 1 PiB").isNotNull();
        assertThat(LoadFailureTest.of(failure)).as(failure.toString()).isEqualTo(Fault.ENVIRONMENT);
        // TensorFlow's answer to 4 TiB on this project's machine (not asked for here: with overcommit it might be
        // granted)
        assertThat(
                        LoadFailureTest.of(
                                new RuntimeException(
                                        new IllegalStateException(
                                                "OOM when allocating tensor with shape[1048576,1048576]"
                                                        + " and type float on /job:localhost/replica:0/task:0/device:CPU:0 by allocator mklcpu"))))
                .isEqualTo(Fault.ENVIRONMENT);
    }
}
