package io.seqserve.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the HTTP warm-up loads the server: few clients, so the JIT compiler keeps a share of the cores. */
class HttpWarmUpPlanTest {

    @Test
    void fromAJvmCacheOneClientPerTwoCoresForThreeFifths() {
        assertThat(HttpWarmUp.Plan.of(1, true)).isEqualTo(new HttpWarmUp.Plan(1, 0.6));
        assertThat(HttpWarmUp.Plan.of(2, true)).isEqualTo(new HttpWarmUp.Plan(1, 0.6));
        assertThat(HttpWarmUp.Plan.of(8, true)).isEqualTo(new HttpWarmUp.Plan(4, 0.6));
    }

    @Test
    void withoutOneClientPerCoreUpToEightForSevenEighths() {
        assertThat(HttpWarmUp.Plan.of(1, false)).isEqualTo(new HttpWarmUp.Plan(1, 0.875));
        assertThat(HttpWarmUp.Plan.of(2, false)).isEqualTo(new HttpWarmUp.Plan(2, 0.875));
        assertThat(HttpWarmUp.Plan.of(64, false)).isEqualTo(new HttpWarmUp.Plan(8, 0.875));
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
