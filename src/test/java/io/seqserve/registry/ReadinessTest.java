package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqserve.Failure;
import io.seqserve.runtime.EngineChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness and whose fault a failure is, on real directories with engines and loads that need no natives
 * ({@link FakeEngines}, {@link FakeLoader}): a replica that cannot serve never says it is ready, a model
 * broken on its own does not take the others' traffic away, and requests get the host's failures as 503.
 * Versions are told apart by number across models, because the fake loader fails by number.
 */
class ReadinessTest {

    @TempDir
    Path root;

    private final FakeLoader loader = new FakeLoader();
    private final FakeEngines engines = new FakeEngines();
    private VersionManager manager;
    private ModelRegistry registry;
    private Readiness readiness;
    private EngineChecks checks;

    /** Version directories: {@code name/n.pt} makes a TorchScript version, {@code name/n.pb} a SavedModel, {@code name/n} none. */
    private void start(Readiness.Scope scope, String... versions) throws Exception {
        for (String version : versions) {
            write(version);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        checks = engines.checks(meters);
        ModelRepository repository = new ModelRepository(root);
        VersionLifecycle lifecycle = new VersionLifecycle(loader, checks, List.of(), Duration.ofMinutes(5), 4, meters);
        ModelCatalog catalog = new ModelCatalog(meters);
        manager = new VersionManager(repository, lifecycle, catalog, checks, 1, Duration.ofMinutes(5));
        readiness = new Readiness(catalog, manager, checks, scope);
        registry = new ModelRegistry(catalog, manager, repository, readiness);
        manager.start();
    }

    private void start(String... versions) throws Exception {
        start(Readiness.Scope.ALL, versions);
    }

    private void write(String version) throws Exception {
        String[] parts = version.split("\\.");
        Path dir = Files.createDirectories(root.resolve(parts[0]));
        if (parts.length > 1) {
            Files.writeString(dir.resolve(parts[1].equals("pb") ? "saved_model.pb" : "model.pt"), "");
        }
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
    }

    private ModelVersion settled(String name, long version) throws Exception {
        return registry.resolve(name, version, null).settled().get(10, TimeUnit.SECONDS);
    }

    private void awaitInitialLoad() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!manager.initialLoadSettled()) {
            assertThat(System.nanoTime()).as("initial load settles").isLessThan(until);
            Thread.sleep(5);
        }
    }

    private Failure refusal(String name, Long version) {
        return catchThrowableOfType(
                Failure.class, () -> registry.lease(name, version, null).close());
    }

    @Test
    void startingUntilTheVersionsPresentAtStartHaveLoaded() throws Exception {
        CompletableFuture<Void> gate = loader.gate(1);
        start("m/1.pt");
        Readiness.Report loading = readiness.report();
        assertThat(loading.status()).isEqualTo(Readiness.Status.STARTING);
        assertThat(loading.problems()).containsExactly("the model versions present at start are still loading");

        gate.complete(null);
        settled("m", 1);
        awaitInitialLoad();
        Readiness.Report ready = readiness.report();
        assertThat(ready.ready()).as(ready.problems().toString()).isTrue();
        assertThat(ready.engines()).containsEntry("PyTorch", "up (test)");
    }

    @Test
    void anEngineThatIsDownFailsItsVersionsWithoutLoadingThemAndTheReplicaIsNotReady() throws Exception {
        engines.down("TensorFlow", "Failed to load TensorFlow native library: libjnitensorflow.so: file too short");
        start("tf/1.pb", "pt/5.pt");
        ModelVersion tf = settled("tf", 1);
        settled("pt", 5);
        awaitInitialLoad();

        assertThat(tf.state()).isEqualTo(ModelState.FAILED);
        assertThat(tf.loadFailure().fault()).isEqualTo(LoadFailure.Fault.ENVIRONMENT);
        assertThat(tf.error())
                .isEqualTo("the TensorFlow engine is not available on this host: "
                        + "Failed to load TensorFlow native library: libjnitensorflow.so: file too short");
        assertThat(loader.loads)
                .as("only the PyTorch version reached the loader")
                .hasValue(1);

        Readiness.Report report = readiness.report();
        assertThat(report.status()).isEqualTo(Readiness.Status.BROKEN);
        assertThat(report.engines())
                .containsEntry("PyTorch", "up (test)")
                .containsEntry(
                        "TensorFlow",
                        "down: Failed to load TensorFlow native library: libjnitensorflow.so: file too short");
        assertThat(report.problems())
                .containsExactly(
                        "engine TensorFlow is down: Failed to load TensorFlow native library: libjnitensorflow.so: file too short",
                        "model 'tf' version 1 failed to load because of the environment: " + tf.error());
        assertThat(registry.ready()).isFalse();

        for (Long version : new Long[] {null, 1L}) {
            Failure refused = refusal("tf", version);
            assertThat(refused.kind()).as("the host's fault, not the client's").isEqualTo(Failure.Kind.UNAVAILABLE);
            assertThat(refused.retryAfterSeconds()).isEqualTo(VersionFailures.ENVIRONMENT_RETRY_AFTER_SECONDS);
            assertThat(refused.getMessage()).contains("because of this server's environment", "file too short");
        }
        registry.lease("pt", null, null).close();
    }

    @Test
    void eachEngineIsCheckedOnceBeforeItsFirstLoadIncludingEnginesOfVersionsThatAreNotLoaded() throws Exception {
        CompletableFuture<Void> check = engines.gate("PyTorch");
        start("a/1.pt", "b/2.pt", "c/3.pt", "old/4.pb", "old/5.pt");
        assertThat(loader.loads).as("loads wait for their engine's check").hasValue(0);
        check.complete(null);
        settled("a", 1);
        settled("b", 2);
        settled("c", 3);
        settled("old", 5);
        assertThat(registry.resolve("old", 4L, null).state())
                .as("not loaded, but on disk")
                .isEqualTo(ModelState.NEW);
        assertThat(checks.all())
                .as("TensorFlow's check started at start, for the version on disk")
                .containsKey("TensorFlow");
        checks.await("TensorFlow");
        assertThat(engines.probes)
                .as("PyTorch once, TensorFlow once for the version on disk")
                .hasValue(2);
        awaitInitialLoad();
        assertThat(readiness.report().engines()).containsOnlyKeys("PyTorch", "TensorFlow");
    }

    @Test
    void aModelBrokenOnItsOwnFilesIsReportedButTheReplicaIsReady() throws Exception {
        loader.fail(
                1,
                new LoadException(
                        "the PyTorch engine could not load the model: PytorchStreamReader failed reading zip archive"));
        start("broken/1.pt", "good/5.pt");
        settled("broken", 1);
        settled("good", 5);
        awaitInitialLoad();

        assertThat(registry.resolve("broken", 1L, null).loadFailure().fault()).isEqualTo(LoadFailure.Fault.MODEL);
        assertThat(readiness.report().ready())
                .as(readiness.report().problems().toString())
                .isTrue();
        Failure refused = refusal("broken", null);
        assertThat(refused.kind()).isEqualTo(Failure.Kind.UNPROCESSABLE);
        assertThat(refused.retryAfterSeconds()).isNull();
    }

    @Test
    void aRequiredModelThatFailsOnItsOwnFilesKeepsTheReplicaNotReady() throws Exception {
        write("req/1.pt");
        Files.writeString(root.resolve("req/1/seqserve.yaml"), "required: true\n");
        loader.fail(1, new LoadException("warm-up prediction failed: bad graph"));
        start();
        settled("req", 1);
        awaitInitialLoad();
        Readiness.Report report = readiness.report();
        assertThat(report.status()).isEqualTo(Readiness.Status.BROKEN);
        assertThat(report.problems())
                .containsExactly("required model 'req' version 1 failed to load: warm-up prediction failed: bad graph");
    }

    @Test
    void theNewestVersionFailingBecauseOfTheHostKeepsTheReplicaNotReadyWhileAnOlderOneServes() throws Exception {
        loader.fail(2, new OutOfMemoryError("Java heap space"));
        start("m/1.pt", "m/2.pt");
        assertThat(settled("m", 2).state()).isEqualTo(ModelState.FAILED);
        assertThat(settled("m", 1).state()).as("the policy falls back").isEqualTo(ModelState.AVAILABLE);
        awaitInitialLoad();

        assertThat(readiness.report().status()).isEqualTo(Readiness.Status.BROKEN);
        assertThat(readiness.report().problems())
                .containsExactly("model 'm' version 2 failed to load because of the environment: Java heap space");
        try (Lease lease = registry.lease("m", null, null)) {
            assertThat(lease.version().version())
                    .as("the bare name still serves what it can")
                    .isEqualTo(1);
        }
        assertThat(refusal("m", 2L).kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
    }

    @Test
    void anOlderVersionThatFailedBecauseOfTheHostNoLongerCountsOnceANewerOneIsAvailable() throws Exception {
        loader.fail(1, new OutOfMemoryError("Java heap space"));
        start("m/1.pt", "m/2.pt");
        settled("m", 2);
        registry.setLabel("m", "canary", 1).get(10, TimeUnit.SECONDS);
        assertThat(registry.resolve("m", 1L, null).state()).isEqualTo(ModelState.FAILED);
        awaitInitialLoad();
        assertThat(readiness.report().ready())
                .as(readiness.report().problems().toString())
                .isTrue();
    }

    @Test
    void withScopeRequiredOnlyRequiredVersionsAndEnginesCount() throws Exception {
        loader.fail(2, new OutOfMemoryError("Java heap space"));
        start(Readiness.Scope.REQUIRED, "m/2.pt");
        settled("m", 2);
        awaitInitialLoad();
        assertThat(readiness.report().ready()).isTrue();
        assertThat(readiness.report().scope()).isEqualTo(Readiness.Scope.REQUIRED);
    }

    @Test
    void withScopeRequiredAnEngineThatIsDownStillCounts() throws Exception {
        engines.down("PyTorch", "libtorch.so: failed to map segment from shared object");
        start(Readiness.Scope.REQUIRED, "m/2.pt");
        settled("m", 2);
        awaitInitialLoad();
        assertThat(readiness.report().status()).isEqualTo(Readiness.Status.BROKEN);
        assertThat(readiness.report().problems())
                .containsExactly("engine PyTorch is down: libtorch.so: failed to map segment from shared object");
    }

    @Test
    void aRequiredEngineIsCheckedAtStartWithoutAnyModelAndCounts() throws Exception {
        engines.required("OnnxRuntime", "TensorFlow").down("TensorFlow", "no jnitensorflow in java.library.path");
        CompletableFuture<Void> check = engines.gate("OnnxRuntime");
        start();
        awaitInitialLoad();
        checks.await("TensorFlow");
        assertThat(readiness.report().problems())
                .containsExactly(
                        "engine TensorFlow is down: no jnitensorflow in java.library.path",
                        "required engine OnnxRuntime is being checked");
        check.complete(null);
        checks.await("OnnxRuntime");
        Readiness.Report report = readiness.report();
        assertThat(report.status()).isEqualTo(Readiness.Status.BROKEN);
        assertThat(report.engines())
                .containsOnlyKeys("OnnxRuntime", "TensorFlow")
                .containsEntry("OnnxRuntime", "up (test)");
        assertThat(report.problems())
                .containsExactly("engine TensorFlow is down: no jnitensorflow in java.library.path");
    }

    @Test
    void aModelThatAppearsAfterStartDoesNotTakeTheReplicaOutWhileItLoads() throws Exception {
        start("m/1.pt");
        settled("m", 1);
        awaitInitialLoad();
        CompletableFuture<Void> gate = loader.gate(7);
        write("n/7.pt");
        manager.scan();
        assertThat(registry.resolve("n", 7L, null).state()).isEqualTo(ModelState.LOADING);
        assertThat(readiness.report().ready())
                .as("a new model loading is no reason to drop traffic for the others")
                .isTrue();
        gate.complete(null);
        settled("n", 7);
    }
}
