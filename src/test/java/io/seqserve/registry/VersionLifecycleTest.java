package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqserve.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version lifecycle without Spring or an engine: loads and unloads complete futures, an unload waits
 * for open leases (bounded by the drain timeout), and nothing sleeps. The {@code get(10, SECONDS)} calls
 * only keep a broken lifecycle from hanging the build; no assertion is about time.
 */
class VersionLifecycleTest {

    private static final Duration LONG_DRAIN = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final FakeLoader loader = new FakeLoader();
    private final FakeEngines engines = new FakeEngines();
    private VersionLifecycle lifecycle;

    private VersionLifecycle lifecycle(Duration drain, TaskCheck... checks) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        lifecycle = new VersionLifecycle(loader, engines.checks(meters), List.of(checks), drain, 4, meters);
        return lifecycle;
    }

    @AfterEach
    void shutdown() {
        if (lifecycle != null) {
            lifecycle.shutdown();
        }
    }

    private ModelVersion version(long number) throws Exception {
        return new ModelVersion(
                "m", number, Files.createDirectories(dir.resolve(String.valueOf(number))), Instant.now());
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNewVersionIsNewUntilALoadStarts() throws Exception {
        ModelVersion v = version(1);
        assertThat(v.state()).isEqualTo(ModelState.NEW);
        assertThat(v.state().id()).isEqualTo("new");
    }

    @Test
    void aLoadCompletesItsFutureWhenTheVersionIsAvailable() throws Exception {
        lifecycle(LONG_DRAIN);
        ModelVersion v = version(1);
        CompletableFuture<Void> gate = loader.gate(1);

        CompletableFuture<ModelVersion> load = lifecycle.load(v);
        assertThat(v.state())
                .as("loading from the moment the load is asked for")
                .isEqualTo(ModelState.LOADING);
        assertThat(load).isNotDone();
        assertThat(v.tryLease()).as("no lease while loading").isNull();

        gate.complete(null);
        assertThat(await(load)).isSameAs(v);
        assertThat(v.state()).isEqualTo(ModelState.AVAILABLE);
        assertThat(v.loaded()).isNotNull();
        assertThat(v.loadTime()).isNotNull();
    }

    @Test
    void aFailedLoadCompletesNormallyAndKeepsTheReasonOnTheVersion() throws Exception {
        lifecycle(LONG_DRAIN);
        loader.fail(1, new LoadException("warm-up prediction failed: bad graph"));
        ModelVersion v = version(1);

        assertThat(await(lifecycle.load(v))).isSameAs(v);
        assertThat(v.state()).isEqualTo(ModelState.FAILED);
        assertThat(v.error()).isEqualTo("warm-up prediction failed: bad graph");
        assertThat(v.loadFailure().environmental()).as("the model's fault").isFalse();
        assertThat(v.loadFailure().cause()).isInstanceOf(LoadException.class);
    }

    @Test
    void aLoadTheHostCouldNotCarryIsEnvironmental() throws Exception {
        lifecycle(LONG_DRAIN);
        loader.fail(1, new OutOfMemoryError("Java heap space"));
        loader.fail(
                2,
                new LoadException(
                        "the PyTorch engine could not load the model", new UnsatisfiedLinkError("libtorch.so")));
        ModelVersion oom = version(1);
        ModelVersion natives = version(2);

        await(lifecycle.load(oom));
        await(lifecycle.load(natives));
        assertThat(oom.state()).isEqualTo(ModelState.FAILED);
        assertThat(oom.loadFailure().environmental()).isTrue();
        assertThat(natives.loadFailure().environmental()).isTrue();
    }

    @Test
    void anInvalidManifestFailsTheVersionBeforeTheLoaderRuns() throws Exception {
        lifecycle(LONG_DRAIN);
        ModelVersion v = version(1);
        Files.writeString(v.dir().resolve(ManifestReader.YAML_NAME), "format: tensorflow-lite\n");

        await(lifecycle.load(v));
        assertThat(v.state()).isEqualTo(ModelState.FAILED);
        assertThat(v.error()).contains("format must be one of");
        assertThat(loader.loads).hasValue(0);
    }

    @Test
    void aTaskCheckThatRefusesTheVersionFailsIt() throws Exception {
        TaskCheck forecasting = new TaskCheck() {
            @Override
            public String task() {
                return "forecasting";
            }

            @Override
            public void check(ModelVersion candidate) {
                throw Failure.unprocessable("forecasting.window is required");
            }
        };
        lifecycle(LONG_DRAIN, forecasting);
        ModelVersion v = version(1);
        Files.writeString(v.dir().resolve(ManifestReader.YAML_NAME), "task: forecasting\n");

        await(lifecycle.load(v));
        assertThat(v.state()).isEqualTo(ModelState.FAILED);
        assertThat(v.error()).isEqualTo("unusable for forecasting: forecasting.window is required");
    }

    @Test
    void anUnloadWaitsForTheOpenLeasesThenCloses() throws Exception {
        lifecycle(LONG_DRAIN);
        ModelVersion v = version(1);
        await(lifecycle.load(v));
        Lease first = v.tryLease();
        Lease second = v.tryLease();

        CompletableFuture<Void> unload = lifecycle.unload(v);
        assertThat(v.state()).as("new leases stop at once").isEqualTo(ModelState.UNLOADING);
        assertThat(v.tryLease()).isNull();
        first.close();
        first.close();
        assertThat(unload).as("one lease is still open").isNotDone();
        assertThat(v.loaded()).as("the open request still has its model").isNotNull();

        second.close();
        await(unload);
        assertThat(v.state()).isEqualTo(ModelState.UNLOADED);
        assertThat(v.loaded()).isNull();
        assertThat(v.openLeases()).isZero();
    }

    @Test
    void theDrainTimeoutBoundsTheWaitForALeaseThatNeverCloses() throws Exception {
        lifecycle(Duration.ofMillis(50));
        ModelVersion v = version(1);
        await(lifecycle.load(v));
        Lease forgotten = v.tryLease();

        await(lifecycle.unload(v));
        assertThat(v.state()).isEqualTo(ModelState.UNLOADED);
        assertThat(forgotten.model())
                .as("closed under the lease that outlived the drain")
                .isNull();
        forgotten.close();
        assertThat(v.openLeases()).isZero();
    }

    @Test
    void onlyOneUnloadClosesTheModel() throws Exception {
        lifecycle(LONG_DRAIN);
        ModelVersion v = version(1);
        await(lifecycle.load(v));
        Lease lease = v.tryLease();

        CompletableFuture<Void> first = lifecycle.unload(v);
        CompletableFuture<Void> second = lifecycle.unload(v);
        assertThat(second).as("the second caller has nothing to close").isDone();
        assertThat(first).isNotDone();
        lease.close();
        await(first);
        assertThat(v.state()).isEqualTo(ModelState.UNLOADED);
    }

    @Test
    void settledCompletesWhenTheNextLoadEndsEvenAcrossAnUnload() throws Exception {
        lifecycle(LONG_DRAIN);
        ModelVersion v = version(1);
        assertThat(v.settled()).as("a new version has not settled").isNotDone();
        await(lifecycle.load(v));
        assertThat(v.settled()).as("available: settled at once").isDone();

        Lease lease = v.tryLease();
        CompletableFuture<Void> unload = lifecycle.unload(v);
        CompletableFuture<ModelVersion> settled = v.settled();
        assertThat(settled).isNotDone();
        lease.close();
        await(unload);
        assertThat(settled).as("unloaded is not settled").isNotDone();

        CompletableFuture<Void> gate = loader.gate(1);
        CompletableFuture<ModelVersion> reload = lifecycle.load(v);
        assertThat(settled).isNotDone();
        gate.complete(null);
        assertThat(await(settled)).isSameAs(v);
        assertThat(await(reload).state()).isEqualTo(ModelState.AVAILABLE);
    }

    @Test
    void underConcurrentRequestsTheDrainCompletesOnlyAfterTheLastLeaseCloses() throws Exception {
        lifecycle(LONG_DRAIN);
        ModelVersion v = version(1);
        await(lifecycle.load(v));
        AtomicInteger held = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AtomicBoolean heldAtDrain = new AtomicBoolean();
        ExecutorService requests = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            running.add(requests.submit(() -> {
                Lease lease;
                while ((lease = v.tryLease()) != null) {
                    held.incrementAndGet();
                    served.incrementAndGet();
                    Thread.onSpinWait();
                    held.decrementAndGet();
                    lease.close();
                }
            }));
        }
        while (served.get() < 1000) {
            Thread.onSpinWait();
        }
        CompletableFuture<Void> unload = lifecycle.unload(v);
        v.drained().thenRun(() -> heldAtDrain.set(held.get() > 0));
        await(unload);
        for (Future<?> f : running) {
            f.get(10, TimeUnit.SECONDS);
        }
        requests.shutdown();
        assertThat(heldAtDrain).as("no lease was open when the drain completed").isFalse();
        assertThat(v.openLeases()).isZero();
        assertThat(v.state()).isEqualTo(ModelState.UNLOADED);
    }
}
