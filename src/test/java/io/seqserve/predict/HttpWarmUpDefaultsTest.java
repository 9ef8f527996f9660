package io.seqserve.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP warm-up's defaults: few clients, so the JIT compilers keep a share of the cores, and how long. */
class HttpWarmUpDefaultsTest {

    @Test
    void oneClientPerCoreUpToEight() {
        assertThat(HttpWarmUp.clients(1)).isEqualTo(1);
        assertThat(HttpWarmUp.clients(2)).isEqualTo(2);
        assertThat(HttpWarmUp.clients(64)).isEqualTo(8);
    }

    @Test
    void aShorterWarmUpFromAJvmCache() {
        assertThat(HttpWarmUp.defaultDuration(true)).isEqualTo(Duration.ofSeconds(6));
        assertThat(HttpWarmUp.defaultDuration(false)).isEqualTo(Duration.ofSeconds(8));
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
