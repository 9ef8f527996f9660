package io.seqserve.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.seqserve.runtime.EngineChecks;
import io.seqserve.runtime.EngineStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Engine self-checks for registry tests without natives: every engine is up unless told it is down; a
 * check may be held back by a gate; {@link #probes} counts how often a check really ran.
 */
final class FakeEngines {

    private final Map<String, String> down = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private Set<String> required = Set.of();
    final AtomicInteger probes = new AtomicInteger();

    FakeEngines down(String engine, String reason) {
        down.put(engine, reason);
        return this;
    }

    FakeEngines required(String... engines) {
        required = Set.of(engines);
        return this;
    }

    /** The check of {@code engine} finishes only when the returned future is completed. */
    CompletableFuture<Void> gate(String engine) {
        return gates.computeIfAbsent(engine, e -> new CompletableFuture<>());
    }

    EngineChecks checks(MeterRegistry meters) {
        return new EngineChecks(List.copyOf(required), this::probe, meters);
    }

    private EngineStatus probe(String engine) {
        probes.incrementAndGet();
        CompletableFuture<Void> gate = gates.get(engine);
        if (gate != null) {
            gate.join();
        }
        String reason = down.get(engine);
        return reason == null
                ? EngineStatus.up(engine, "test", Duration.ZERO)
                : EngineStatus.down(engine, reason, Duration.ZERO);
    }
}
