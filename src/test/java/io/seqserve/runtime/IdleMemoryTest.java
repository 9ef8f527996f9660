package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The idle-memory flags take effect in a running JVM, and a flag set on the command line is left alone. */
class IdleMemoryTest {

    @Test
    void setsTheFlagsTheCommandLineLeftAtTheirDefaults() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        IdleMemory.apply(vm);
        IdleMemory.FLAGS.forEach((name, value) ->
                assertThat(vm.getVMOption(name).getValue()).as(name).isEqualTo(value));
        // Now set (origin MANAGEMENT, no longer DEFAULT): a second call changes nothing.
        assertThat(IdleMemory.apply(vm)).isEmpty();
    }
}
