package io.seqserve.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many clients the HTTP warm-up runs: few, so the JIT compiler keeps a share of the cores. */
class HttpWarmUpClientsTest {

    @Test
    void fromAJvmCacheOneClientPerTwoCores() {
        assertThat(HttpWarmUp.clients(1, true)).isEqualTo(1);
        assertThat(HttpWarmUp.clients(2, true)).isEqualTo(1);
        assertThat(HttpWarmUp.clients(8, true)).isEqualTo(4);
    }

    @Test
    void withoutOneClientPerCoreUpToEight() {
        assertThat(HttpWarmUp.clients(1, false)).isEqualTo(1);
        assertThat(HttpWarmUp.clients(2, false)).isEqualTo(2);
        assertThat(HttpWarmUp.clients(64, false)).isEqualTo(8);
    }

    @Test
    void aJvmCacheIsSeenInTheJvmOptions() {
        assertThat(HttpWarmUp.startedFromJvmCache(withArguments(
                        List.of("--enable-native-access=ALL-UNNAMED", "-XX:AOTCache=/opt/seqserve/app/seqserve.aot"))))
                .isTrue();
        // Recording a cache is not starting from one.
        assertThat(HttpWarmUp.startedFromJvmCache(withArguments(List.of("-XX:AOTCacheOutput=/tmp/seqserve.aot"))))
                .isFalse();
        assertThat(HttpWarmUp.startedFromJvmCache(ManagementFactory.getRuntimeMXBean()))
                .as("this test JVM was started without one")
                .isFalse();
    }

    private static RuntimeMXBean withArguments(List<String> arguments) {
        return (RuntimeMXBean) Proxy.newProxyInstance(
                RuntimeMXBean.class.getClassLoader(), new Class<?>[] {RuntimeMXBean.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getInputArguments")) {
                        return arguments;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
