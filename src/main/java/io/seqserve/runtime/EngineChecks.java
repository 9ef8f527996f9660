package io.seqserve.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seqserve.Throwables;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The engine self-checks, each run once per process: the registry asks for the engines the models on disk
 * need at start (and before a version of a not yet checked engine loads), and for the configured
 * {@code seqserve.runtime.required-engines}. Each check runs on its own thread, logs its result once, and
 * publishes {@code seqserve_engine_up{engine}} (1 up, 0 down). A version whose engine is down fails without
 * touching the engine, as the host's fault.
 */
@Component
public class EngineChecks {

    private static final Logger log = LoggerFactory.getLogger(EngineChecks.class);
    private static final Executor OWN_THREAD = task -> {
        Thread thread = new Thread(task, "engine-check");
        thread.setDaemon(true);
        thread.start();
    };

    private final Set<String> required;
    private final Function<String, EngineStatus> probe;
    private final MeterRegistry meters;
    private final Map<String, CompletableFuture<EngineStatus>> checks = new ConcurrentHashMap<>();

    @Autowired
    public EngineChecks(RuntimeProperties runtime, MeterRegistry meters) {
        this(runtime.requiredEngines(), EngineSelfCheck::run, meters);
    }

    /** With another probe, for tests of what depends on an engine's health. */
    public EngineChecks(Collection<String> required, Function<String, EngineStatus> probe, MeterRegistry meters) {
        this.required = Set.copyOf(required);
        this.probe = probe;
        this.meters = meters;
    }

    /** Engines that must be up even when no model needs them. */
    public Set<String> required() {
        return required;
    }

    /** Starts the checks of these engines and the required ones (each at most once per process). */
    public void start(Collection<String> engines) {
        new TreeSet<>(required).forEach(this::check);
        new TreeSet<>(engines).forEach(this::check);
    }

    /** The engine's check, started now if it has not run yet. */
    public CompletableFuture<EngineStatus> check(String engine) {
        return checks.computeIfAbsent(engine, name -> {
            Gauge.builder(
                            "seqserve.engine.up",
                            () -> status(name).map(s -> s.up() ? 1.0 : 0.0).orElse(Double.NaN))
                    .description("1 when the engine's self-check passed, 0 when it failed")
                    .tag("engine", name)
                    .register(meters);
            return CompletableFuture.<EngineStatus>supplyAsync(() -> probe.apply(name), OWN_THREAD)
                    .exceptionally(
                            e -> EngineStatus.down(name, EngineSelfCheck.describe(Throwables.unwrap(e)), Duration.ZERO))
                    .thenApply(EngineChecks::logged);
        });
    }

    /** Waits for the engine's check (starting it when needed). */
    public EngineStatus await(String engine) {
        return check(engine).join();
    }

    /** The result when the engine's check has finished; empty while it runs or when it never started. */
    public Optional<EngineStatus> status(String engine) {
        CompletableFuture<EngineStatus> check = checks.get(engine);
        return check != null && check.isDone() ? Optional.of(check.join()) : Optional.empty();
    }

    /** Every engine asked for so far, by name: its result, or empty while its check runs. */
    public Map<String, Optional<EngineStatus>> all() {
        Map<String, Optional<EngineStatus>> all = new TreeMap<>();
        checks.keySet().forEach(name -> all.put(name, status(name)));
        return all;
    }

    private static EngineStatus logged(EngineStatus status) {
        if (status.up()) {
            log.info(
                    "Engine self-check: {} (native library loaded, forward pass [1, 2] + [1, 2] = [2, 4] in {} ms)",
                    status.describe(),
                    status.took().toMillis());
        } else {
            log.error(
                    "Engine self-check: {}. Model versions that need {} fail to load and this replica is not ready"
                            + " (docs/deployment.md, 'Readiness')",
                    status.describe(),
                    status.engine());
        }
        return status;
    }
}
