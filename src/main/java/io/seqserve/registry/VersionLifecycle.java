package io.seqserve.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.runtime.EngineChecks;
import io.seqserve.runtime.EngineStatus;
import io.seqserve.runtime.RuntimeProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Moves one version through its states (TF Serving's loader harness): {@link #load} reads the manifest,
 * waits for the self-check of the version's engine (a version whose engine is down fails at once, as the
 * environment's fault), loads and checks the model, and completes when the version is available or failed; {@link #unload}
 * stops new leases, waits for the open ones to close (the version's drain future, bounded by the drain
 * timeout), then closes the workers and the model. Nothing here sleeps or polls: every wait is a future
 * that the version completes. Which versions to load or unload is {@link VersionManager}'s decision.
 */
@Component
class VersionLifecycle {

    /** Turns a version directory into a live model (TF Serving's Loader); {@link ModelLoader#load} in production. */
    @FunctionalInterface
    interface Loader {
        ModelLoader.Result load(String name, long version, Path dir, Manifest manifest) throws LoadException;
    }

    private static final Logger log = LoggerFactory.getLogger(VersionLifecycle.class);

    private final Loader loader;
    private final EngineChecks engines;
    private final List<TaskCheck> taskChecks;
    private final Duration drainTimeout;
    private final ExecutorService executor;
    private final MeterRegistry meters;

    @Autowired
    VersionLifecycle(
            ModelLoader loader,
            EngineChecks engines,
            List<TaskCheck> taskChecks,
            RuntimeProperties runtime,
            ModelsProperties models,
            MeterRegistry meters) {
        this(loader::load, engines, taskChecks, runtime.drainTimeout(), models.loadThreads(), meters);
    }

    VersionLifecycle(
            Loader loader,
            EngineChecks engines,
            List<TaskCheck> taskChecks,
            Duration drainTimeout,
            int loadThreads,
            MeterRegistry meters) {
        this.loader = loader;
        this.engines = engines;
        this.taskChecks = List.copyOf(taskChecks);
        this.drainTimeout = drainTimeout;
        this.meters = meters;
        this.executor = Executors.newFixedThreadPool(loadThreads, r -> {
            Thread t = new Thread(r, "model-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads on the lifecycle's own threads; the future completes with the version, available or failed. */
    CompletableFuture<ModelVersion> load(ModelVersion v) {
        return load(v, executor);
    }

    /**
     * Marks the version loading at once (so no one starts a second load), then loads it on {@code where};
     * the future completes when it is available or failed, never exceptionally.
     */
    CompletableFuture<ModelVersion> load(ModelVersion v, Executor where) {
        v.loading();
        return CompletableFuture.supplyAsync(
                () -> {
                    loadNow(v);
                    return v;
                },
                where);
    }

    /** Waits for open leases (up to the drain timeout) without holding a thread, then closes the version. */
    CompletableFuture<Void> unload(ModelVersion v) {
        LoadedModel loaded = v.claimUnload();
        if (loaded == null) {
            return CompletableFuture.completedFuture(null);
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        return v.drained()
                .completeOnTimeout(null, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .thenRunAsync(
                        () -> {
                            if (v.openLeases() > 0) {
                                log.warn(
                                        "{} {}: {} requests still open after the drain timeout of {}; closing",
                                        v.name(),
                                        v.version(),
                                        v.openLeases(),
                                        drainTimeout);
                            }
                            try {
                                loaded.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                            } catch (RuntimeException e) {
                                log.warn("{} {}: closing failed", v.name(), v.version(), e);
                            }
                            v.unloaded();
                            log.info("{} {} unloaded", v.name(), v.version());
                        },
                        executor);
    }

    /** Runs {@code task} on the lifecycle's threads, after the loads and unloads queued before it. */
    CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, executor);
    }

    void shutdown() {
        executor.shutdownNow();
    }

    private void loadNow(ModelVersion v) {
        long start = System.nanoTime();
        Manifest manifest = Manifest.EMPTY;
        String outcome = "failed";
        try {
            manifest = ManifestReader.read(v.dir());
            EngineStatus engine = v.engine() == null ? null : engines.await(v.engine());
            if (engine != null && !engine.up()) {
                String reason = "the " + engine.engine() + " engine is not available on this host: " + engine.reason();
                log.warn("{} {} not loaded: {}", v.name(), v.version(), reason);
                v.failed(manifest, LoadFailure.environment(reason, null), Duration.ofNanos(System.nanoTime() - start));
                return;
            }
            ModelLoader.Result result = loader.load(v.name(), v.version(), v.dir(), withTaskInputs(manifest));
            result = checkTask(v, manifest, result);
            v.available(manifest, result, Duration.ofNanos(System.nanoTime() - start));
            outcome = "available";
            log.info(
                    "{} {} loaded in {} ms{}",
                    v.name(),
                    v.version(),
                    (System.nanoTime() - start) / 1_000_000,
                    result.warnings().isEmpty() ? "" : " (" + String.join("; ", result.warnings()) + ")");
        } catch (ManifestReader.InvalidManifestException | LoadException e) {
            LoadFailure failure = LoadFailure.of(e.getMessage(), e);
            log.warn(
                    "{} {} failed to load ({}'s fault): {}",
                    v.name(),
                    v.version(),
                    failure.fault().id(),
                    e.getMessage());
            v.failed(manifest, failure, Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException | Error e) {
            log.warn("{} {} failed to load", v.name(), v.version(), e);
            v.failed(
                    manifest,
                    LoadFailure.of(Throwables.rootMessage(e), e),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Timer.builder("seqserve.model.load.duration")
                    .description("Time to load and warm up a model version")
                    .tag("model", v.name())
                    .tag("outcome", outcome)
                    .register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The manifest as the loader needs it: without declared inputs, those its task section determines (so a
     * TorchScript forecaster need not repeat its window in {@code inputs}). The version keeps the manifest as
     * written.
     */
    private Manifest withTaskInputs(Manifest manifest) {
        if (manifest.inputs() != null && !manifest.inputs().isEmpty()) {
            return manifest;
        }
        for (TaskCheck check : taskChecks) {
            if (check.task().equals(manifest.taskOrDefault())) {
                List<Manifest.TensorDecl> inputs = check.inputs(manifest);
                if (!inputs.isEmpty()) {
                    return manifest.withInputs(inputs);
                }
            }
        }
        return manifest;
    }

    /**
     * Runs the checks of the manifest's task; a version that cannot serve it is closed and fails. The result
     * carries the checks' warnings too.
     */
    private ModelLoader.Result checkTask(ModelVersion v, Manifest manifest, ModelLoader.Result result)
            throws LoadException {
        ModelVersion candidate = ModelVersion.candidate(v, manifest, result.signature());
        List<String> warnings = new ArrayList<>(result.warnings());
        for (TaskCheck check : taskChecks) {
            if (check.task().equals(manifest.taskOrDefault())) {
                try {
                    check.check(candidate);
                    warnings.addAll(check.warnings(candidate));
                } catch (Failure | IllegalArgumentException e) {
                    result.model().close(Duration.ZERO);
                    throw new LoadException("unusable for " + check.task() + ": " + e.getMessage());
                }
            }
        }
        return new ModelLoader.Result(result.format(), result.signature(), result.model(), warnings);
    }
}
