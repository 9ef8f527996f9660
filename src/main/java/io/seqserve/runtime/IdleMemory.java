package io.seqserve.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Hands the heap a load made the JVM commit back to the system once the server is idle, also for a plain
 * {@code java -jar}: after 10x overload, RSS stayed twice as high 90 s later with the JVM's defaults and came back
 * below its level before the load with these ({@code bench/overload}, bench/README.md). G1 runs a concurrent
 * cycle when it has not collected for 5 s and shrinks the heap to at most 30 % free. The three flags are
 * manageable, so they are set here, and only where the command line did not set them.
 * {@code seqserve.runtime.return-idle-memory=false} leaves the JVM's defaults.
 */
@Component
public class IdleMemory {

    private static final Logger log = LoggerFactory.getLogger(IdleMemory.class);

    static final Map<String, String> FLAGS = flags();

    IdleMemory(@Value("${seqserve.runtime.return-idle-memory:true}") boolean enabled) {
        if (enabled) {
            Map<String, String> set = apply(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
            if (!set.isEmpty()) {
                log.info("returning idle heap to the system: {}", set);
            }
        }
    }

    /** Sets each flag the command line left at its default; returns what it set. */
    static Map<String, String> apply(HotSpotDiagnosticMXBean vm) {
        Map<String, String> set = new LinkedHashMap<>();
        FLAGS.forEach((name, value) -> {
            try {
                VMOption option = vm.getVMOption(name);
                if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
                    vm.setVMOption(name, value);
                    set.put(name, value);
                }
            } catch (IllegalArgumentException e) {
                log.debug("{} cannot be set on this JVM: {}", name, e.getMessage());
            }
        });
        return set;
    }

    private static Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        // Min before Max: the JVM refuses a MaxHeapFreeRatio below the current MinHeapFreeRatio.
        flags.put("MinHeapFreeRatio", "10");
        flags.put("MaxHeapFreeRatio", "30");
        flags.put("G1PeriodicGCInterval", "5000");
        return flags;
    }
}
