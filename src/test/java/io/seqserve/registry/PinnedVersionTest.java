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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions pinned by live sessions: kept loaded after they stop serving (a newer version, a label move), for at
 * most the grace; then unloaded, and an explicit lease is GONE. A pin on a version that is not loaded (a session
 * restored after a restart) loads it.
 */
class PinnedVersionTest {

    @TempDir
    Path root;

    private final FakeLoader loader = new FakeLoader();
    private VersionManager manager;
    private ModelRegistry registry;

    private void start(Duration grace, String... dirs) throws Exception {
        for (String dir : dirs) {
            Files.createDirectories(root.resolve(dir));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRepository repository = new ModelRepository(root);
        EngineChecks checks = new FakeEngines().checks(meters);
        VersionLifecycle lifecycle = new VersionLifecycle(loader, checks, List.of(), Duration.ofSeconds(5), 4, meters);
        ModelCatalog catalog = new ModelCatalog(meters);
        manager = new VersionManager(repository, lifecycle, catalog, checks, 1, Duration.ofMinutes(1), grace);
        registry = new ModelRegistry(
                catalog, manager, repository, new Readiness(catalog, manager, checks, Readiness.Scope.ALL));
        manager.start();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.stop();
        }
    }

    private ModelState await(String name, long version, ModelState state) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        manager.scan();
        while (registry.resolve(name, version, null).state() != state) {
            assertThat(System.nanoTime())
                    .as("%s/%d %s in time", name, version, state)
                    .isLessThan(until);
            manager.scan();
            Thread.sleep(20);
        }
        return state;
    }

    private long servedBy(String name) {
        try (Lease lease = registry.lease(name, null, null)) {
            return lease.version().version();
        }
    }

    @Test
    void aPinnedVersionOutlivesItsSuccessorsArrivalUntilTheLastPinCloses() throws Exception {
        start(Duration.ofMinutes(10), "m/1");
        await("m", 1, ModelState.AVAILABLE);
        Pin pin;
        try (Lease lease = registry.lease("m", null, null)) {
            pin = registry.pin(lease);
        }
        Files.createDirectories(root.resolve("m/2"));
        await("m", 2, ModelState.AVAILABLE);
        manager.scan();
        assertThat(servedBy("m")).as("the bare name moves on").isEqualTo(2);
        assertThat(registry.resolve("m", 1L, null).state())
                .as("kept for its session")
                .isEqualTo(ModelState.AVAILABLE);
        try (Lease lease = registry.lease("m", 1L, null)) {
            assertThat(lease.version().version()).isEqualTo(1);
        }
        pin.close();
        pin.close();
        await("m", 1, ModelState.UNLOADED);
        assertThat(registry.resolve("m", 1L, null).pins()).isZero();
    }

    @Test
    void afterTheGraceAPinnedVersionThatNoLongerServesUnloadsAndItsSessionsAreGone() throws Exception {
        start(Duration.ofMillis(300), "m/1");
        await("m", 1, ModelState.AVAILABLE);
        try (Lease lease = registry.lease("m", null, null)) {
            registry.pin(lease);
        }
        Thread.sleep(500);
        manager.scan();
        assertThat(registry.resolve("m", 1L, null).state())
                .as("the grace starts when only pins keep it, not when pinned")
                .isEqualTo(ModelState.AVAILABLE);
        Files.createDirectories(root.resolve("m/2"));
        await("m", 2, ModelState.AVAILABLE);
        await("m", 1, ModelState.UNLOADED);
        Failure gone = catchThrowableOfType(
                Failure.class, () -> registry.lease("m", 1L, null).close());
        assertThat(gone.kind()).isEqualTo(Failure.Kind.GONE);
    }

    @Test
    void aPinByNumberLoadsAVersionThatIsNotLoaded() throws Exception {
        start(Duration.ofMinutes(10), "m/1", "m/2");
        await("m", 2, ModelState.AVAILABLE);
        assertThat(registry.resolve("m", 1L, null).state()).isEqualTo(ModelState.NEW);
        Pin pin = registry.pin("m", 1);
        await("m", 1, ModelState.AVAILABLE);
        assertThat(servedBy("m")).isEqualTo(2);
        pin.close();
        await("m", 1, ModelState.UNLOADED);
        Failure missing = catchThrowableOfType(Failure.class, () -> registry.pin("m", 7));
        assertThat(missing.kind()).isEqualTo(Failure.Kind.NOT_FOUND);
    }
}
