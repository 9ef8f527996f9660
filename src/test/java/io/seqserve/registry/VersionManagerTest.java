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
 * The registry's three parts together on real directories, with a loader that needs no engine: which
 * version a bare name serves while versions come, fail and go; what an explicitly named version that
 * cannot serve answers; label changes that complete a future instead of holding a thread.
 */
class VersionManagerTest {

    @TempDir
    Path root;

    private final FakeLoader loader = new FakeLoader();
    private final FakeEngines engines = new FakeEngines();
    private Readiness.Scope scope = Readiness.Scope.ALL;
    private VersionLifecycle lifecycle;
    private VersionManager manager;
    private ModelRegistry registry;

    private void start(Duration labelWait, String... versionDirs) throws Exception {
        for (String dir : versionDirs) {
            Files.createDirectories(root.resolve(dir));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRepository repository = new ModelRepository(root);
        EngineChecks checks = engines.checks(meters);
        lifecycle = new VersionLifecycle(loader, checks, List.of(), Duration.ofMinutes(5), 4, meters);
        ModelCatalog catalog = new ModelCatalog(meters);
        manager = new VersionManager(repository, lifecycle, catalog, checks, 1, labelWait);
        registry = new ModelRegistry(catalog, manager, repository, new Readiness(catalog, manager, checks, scope));
        manager.start();
    }

    private void start(String... versionDirs) throws Exception {
        start(Duration.ofMinutes(5), versionDirs);
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            loader.gate(1).complete(null);
            manager.stop();
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private ModelVersion settled(String name, long version) throws Exception {
        return await(registry.resolve(name, version, null).settled());
    }

    private long servedBy(String name) {
        try (Lease lease = registry.lease(name, null, null)) {
            return lease.version().version();
        }
    }

    private Failure refusal(String name, Long version) {
        return catchThrowableOfType(
                Failure.class, () -> registry.lease(name, version, null).close());
    }

    @Test
    void aBareNameFallsBackToTheNewestAvailableVersionWhenTheServingOneIsDeletedByHand() throws Exception {
        loader.fail(3, new LoadException("warm-up prediction failed: broken graph"));
        CompletableFuture<Void> olderLoad = loader.gate(1);
        start("m/1", "m/2", "m/3");
        assertThat(settled("m", 2).state()).as("v3 failed, so v2 serves").isEqualTo(ModelState.AVAILABLE);
        assertThat(registry.resolve("m", 3L, null).state()).isEqualTo(ModelState.FAILED);
        assertThat(registry.resolve("m", 1L, null).state()).as("never loaded").isEqualTo(ModelState.NEW);
        assertThat(servedBy("m")).isEqualTo(2);
        Lease inFlight = registry.lease("m", null, null);

        AtomicFiles.deleteTree(root.resolve("m/2"));
        manager.scan();

        Failure meanwhile = refusal("m", null);
        assertThat(meanwhile.kind())
                .as("never the failed v3, never the unloading v2")
                .isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(meanwhile.retryAfterSeconds()).isEqualTo(VersionFailures.RETRY_AFTER_SECONDS);
        assertThat(meanwhile.getMessage()).contains("loading: [1]").doesNotContain("broken", "version 2", "version 3");
        assertThat(refusal("m", 3L).kind()).isEqualTo(Failure.Kind.UNPROCESSABLE);
        assertThat(refusal("m", 3L).getMessage()).contains("broken graph");
        assertThat(refusal("m", 2L).kind())
                .as("gone from memory with its files")
                .isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(refusal("m", 1L).kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(registry.resolve("m", null, null).version())
                .as("the view shows why nothing serves")
                .isEqualTo(3);
        assertThat(inFlight.model()).as("the request in flight keeps its model").isNotNull();
        inFlight.close();

        olderLoad.complete(null);
        assertThat(settled("m", 1).state()).isEqualTo(ModelState.AVAILABLE);
        assertThat(servedBy("m")).isEqualTo(1);
    }

    @Test
    void whenEveryVersionFailedTheBareNameAnswersTheNewestFailure() throws Exception {
        loader.fail(1, new LoadException("no model artifact found"));
        loader.fail(2, new LoadException("warm-up prediction failed"));
        loader.fail(11, new OutOfMemoryError("Java heap space"));
        start("m/1", "m/2", "host/11");
        settled("m", 1);
        settled("host", 11);

        Failure failed = refusal("m", null);
        assertThat(failed.kind())
                .as("retrying will not help: the model's fault, as today")
                .isEqualTo(Failure.Kind.UNPROCESSABLE);
        assertThat(failed.getMessage()).contains("version 2 failed to load: warm-up prediction failed");
        assertThat(refusal("host", null).kind())
                .as("the host's fault is not the client's")
                .isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(refusal("host", 11L).kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
    }

    @Test
    void notReadyWhileTheFallbackForAFailedNewestIsStillLoading() throws Exception {
        loader.fail(2, new LoadException("broken"));
        CompletableFuture<Void> fallback = loader.gate(1);
        start("m/1", "m/2");
        assertThat(settled("m", 2).state()).isEqualTo(ModelState.FAILED);
        assertThat(registry.ready()).as("v1 is loading in place of v2").isFalse();
        fallback.complete(null);
        assertThat(settled("m", 1).state()).isEqualTo(ModelState.AVAILABLE);
    }

    @Test
    void anUnloadedVersionIsGoneWithAHintAndALabelBringsItBackWithoutHoldingAThread() throws Exception {
        start("m/1", "m/2");
        settled("m", 2);
        Failure gone = refusal("m", 1L);
        assertThat(gone.kind()).isEqualTo(Failure.Kind.GONE);
        assertThat(gone.getMessage()).contains("label it", "/v1/models/m/labels/");

        CompletableFuture<Void> load = loader.gate(1);
        CompletableFuture<ModelVersion> labelled = registry.setLabel("m", "production", 1);
        assertThat(labelled).as("returns while the version loads").isNotDone();
        assertThat(LabelStore.read(root.resolve("m"))).as("saved at once").containsEntry("production", 1L);
        assertThat(servedBy("m"))
                .as("production is not available yet: the newest available serves")
                .isEqualTo(2);
        Failure loading = refusal("m", 1L);
        assertThat(loading.kind()).isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(loading.retryAfterSeconds()).isPositive();

        load.complete(null);
        assertThat(await(labelled).state()).isEqualTo(ModelState.AVAILABLE);
        assertThat(servedBy("m")).isEqualTo(1);
        assertThat(registry.resolve("m", 2L, null).state())
                .as("the newest stays too")
                .isEqualTo(ModelState.AVAILABLE);
    }

    @Test
    void labellingAnUnloadingVersionCompletesAfterItsDrainAndReload() throws Exception {
        start("m/1");
        settled("m", 1);
        ModelVersion v1 = registry.resolve("m", 1L, null);
        Lease inFlight = registry.lease("m", null, null);

        Files.createDirectories(root.resolve("m/2"));
        await(CompletableFuture.allOf(manager.scan().toArray(CompletableFuture[]::new)));
        assertThat(v1.state()).as("v2 serves; v1 drains its request").isEqualTo(ModelState.UNLOADING);
        assertThat(servedBy("m")).isEqualTo(2);

        CompletableFuture<ModelVersion> labelled = registry.setLabel("m", "canary", 1);
        assertThat(labelled).isNotDone();
        assertThat(refusal("m", 1L).kind()).as("labelled, so on its way back").isEqualTo(Failure.Kind.UNAVAILABLE);

        inFlight.close();
        assertThat(await(labelled)).isSameAs(v1);
        assertThat(v1.state()).isEqualTo(ModelState.AVAILABLE);
        try (Lease lease = registry.lease("m", null, "canary")) {
            assertThat(lease.version()).isSameAs(v1);
        }
    }

    @Test
    void aLabelChangeAnswersWithTheCurrentStateWhenTheLoadOutlastsItsWait() throws Exception {
        start(Duration.ofMillis(50), "m/1", "m/2");
        settled("m", 2);
        loader.gate(1);

        ModelVersion answered = await(registry.setLabel("m", "production", 1));
        assertThat(answered.state()).isEqualTo(ModelState.LOADING);
        assertThat(LabelStore.read(root.resolve("m"))).containsEntry("production", 1L);
    }

    @Test
    void aLabelOnAFailedVersionOrAnUnknownOneIsRefused() throws Exception {
        loader.fail(2, new LoadException("broken"));
        start("m/1", "m/2");
        settled("m", 1);
        assertThat(catchThrowableOfType(Failure.class, () -> registry.setLabel("m", "production", 2))
                        .kind())
                .isEqualTo(Failure.Kind.CONFLICT);
        assertThat(catchThrowableOfType(Failure.class, () -> registry.setLabel("m", "production", 9))
                        .kind())
                .isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Failure.class, () -> registry.setLabel("m", "Bad:Label", 1))
                        .kind())
                .isEqualTo(Failure.Kind.INVALID);
        assertThat(root.resolve("m/labels.json")).doesNotExist();
    }

    @Test
    void aDeleteReturnsAtOnceAndTheVersionDrainsItsRequestsFirst() throws Exception {
        start("m/1", "m/2");
        settled("m", 2);
        Lease inFlight = registry.lease("m", 2L, null);
        ModelVersion v2 = inFlight.version();

        registry.delete("m", 2);
        assertThat(root.resolve("m/2")).doesNotExist();
        assertThat(refusal("m", 2L).kind()).isEqualTo(Failure.Kind.NOT_FOUND);
        assertThat(v2.state()).isEqualTo(ModelState.UNLOADING);
        assertThat(inFlight.model()).isNotNull();
        assertThat(v2.drained()).isNotDone();
        inFlight.close();
        await(v2.drained());
        assertThat(settled("m", 1).state()).as("the older version takes over").isEqualTo(ModelState.AVAILABLE);

        await(registry.setLabel("m", "production", 1));
        assertThat(catchThrowableOfType(Failure.class, () -> registry.delete("m", 1))
                        .kind())
                .isEqualTo(Failure.Kind.CONFLICT);
        assertThat(root.resolve("m/1")).isDirectory();
    }

    @Test
    void aRegistrationLoadsBeforeItAnswersAndAFailedOneLeavesNothing() throws Exception {
        start();
        ModelVersion registered = registry.register("n", registry.stagingDir());
        assertThat(registered.version()).isEqualTo(1);
        assertThat(registered.state()).isEqualTo(ModelState.AVAILABLE);
        assertThat(root.resolve("n/1")).isDirectory();

        loader.fail(2, new LoadException("not a TorchScript archive"));
        Failure refused = catchThrowableOfType(Failure.class, () -> registry.register("n", registry.stagingDir()));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.UNPROCESSABLE);
        assertThat(refused.getMessage()).contains("nothing was registered", "not a TorchScript archive");
        assertThat(root.resolve("n/2")).doesNotExist();
        assertThat(registry.versions("n")).extracting(ModelVersion::version).containsExactly(1L);

        loader.fail(2, new OutOfMemoryError("Java heap space")); // the number is free again: nothing was left
        assertThat(catchThrowableOfType(Failure.class, () -> registry.register("n", registry.stagingDir()))
                        .kind())
                .isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(catchThrowableOfType(Failure.class, () -> registry.register("N!", registry.stagingDir()))
                        .kind())
                .isEqualTo(Failure.Kind.INVALID);
    }
}
