package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping around the engine self-checks, with a probe that needs no natives: once per engine, the
 * result kept, the gauge, reasons that say what to do. {@link EngineSelfCheckTest} runs the real engines.
 */
class EngineChecksTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void theReasonKeepsWhatFailedAndWhyWithAHintForKnownCauses() {
        String noexec = EngineSelfCheck.describe(new IllegalStateException(
                "Failed to load PyTorch native library",
                new UnsatisfiedLinkError(
                        "/tmp/djl/libgomp.so.1: /tmp/djl/libgomp.so.1: failed to map segment from shared object")));
        assertThat(noexec)
                .startsWith("Failed to load PyTorch native library: /tmp/djl/libgomp.so.1: failed to map segment")
                .contains("not executable", "noexec");
        assertThat(EngineSelfCheck.describe(new ExceptionInInitializerError()))
                .isEqualTo("java.lang.ExceptionInInitializerError");
        assertThat(EngineSelfCheck.describe(new RuntimeException("plain"))).isEqualTo("plain");
    }

    @Test
    void eachEngineIsCheckedOnceAndItsResultKept() {
        AtomicInteger probes = new AtomicInteger();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        EngineChecks checks = new EngineChecks(
                List.of("TensorFlow"),
                engine -> {
                    probes.incrementAndGet();
                    gate.join();
                    return engine.equals("PyTorch")
                            ? EngineStatus.down(engine, "broken", Duration.ZERO)
                            : EngineStatus.up(engine, "1.0", Duration.ZERO);
                },
                meters);

        checks.start(List.of("PyTorch", "TensorFlow"));
        assertThat(checks.required()).containsExactly("TensorFlow");
        assertThat(checks.all())
                .containsOnlyKeys("PyTorch", "TensorFlow")
                .allSatisfy((name, status) -> assertThat(status).isEmpty());
        assertThat(checks.status("PyTorch")).as("still running").isEmpty();
        assertThat(meters.get("seqserve.engine.up")
                        .tag("engine", "PyTorch")
                        .gauge()
                        .value())
                .isNaN();

        gate.complete(null);
        assertThat(checks.await("PyTorch").up()).isFalse();
        assertThat(checks.await("TensorFlow").up()).isTrue();
        checks.start(List.of("PyTorch", "TensorFlow"));
        checks.await("PyTorch");
        assertThat(probes).as("one check per engine and process").hasValue(2);
        assertThat(checks.status("PyTorch")).map(EngineStatus::reason).contains("broken");
        assertThat(checks.status("OnnxRuntime")).as("never asked for").isEqualTo(Optional.empty());
        assertThat(meters.get("seqserve.engine.up")
                        .tag("engine", "PyTorch")
                        .gauge()
                        .value())
                .isZero();
        assertThat(meters.get("seqserve.engine.up")
                        .tag("engine", "TensorFlow")
                        .gauge()
                        .value())
                .isOne();
    }

    @Test
    void aProbeThatThrowsMarksTheEngineDown() {
        EngineChecks checks = new EngineChecks(
                List.of(),
                engine -> {
                    throw new IllegalStateException("probe exploded");
                },
                meters);
        EngineStatus status = checks.await("PyTorch");
        assertThat(status.up()).isFalse();
        assertThat(status.reason()).isEqualTo("probe exploded");
    }
}
