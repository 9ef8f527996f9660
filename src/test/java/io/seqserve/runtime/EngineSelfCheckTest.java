package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.EngineTest;
import io.seqserve.testing.TestEngines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The self-check with the real engines: each loads its natives and runs [1, 2] + [1, 2] on the CPU. */
@EngineTest
class EngineSelfCheckTest {

    @Test
    void everyBundledEngineLoadsItsNativesAndRunsAForwardPass() {
        TestEngines.prepare();
        for (String engine : List.of("TensorFlow", "PyTorch", "OnnxRuntime")) {
            EngineStatus status = EngineSelfCheck.run(engine);
            assertThat(status.up()).as(status.describe()).isTrue();
            assertThat(status.version()).as(engine).isNotBlank();
            assertThat(status.reason()).isNull();
        }
    }

    @Test
    void anEngineThatIsNotOnTheClassPathIsDownWithTheKnownOnes() {
        EngineStatus status = EngineSelfCheck.run("MXNet");
        assertThat(status.up()).isFalse();
        assertThat(status.reason()).contains("no engine named 'MXNet'", "PyTorch", "TensorFlow", "OnnxRuntime");
        assertThat(status.describe()).startsWith("MXNet is down: ");
    }
}
