package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqserve.Failure;
import io.seqserve.testing.EngineTest;
import io.seqserve.testing.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission, deadlines, batching and drain of one pool, on the real PyTorch engine running a block
 * that doubles its input and can be held, so the queue's states are reached deterministically.
 */
@EngineTest
class WorkerPoolTest {

    private static final CountDownLatch NEVER = new CountDownLatch(0);
    private volatile CountDownLatch gate = NEVER;
    /** Like a native pass: an interrupt does not end it. */
    private volatile boolean uninterruptible;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ZooModel<NDList, NDList> model;
    private WorkerPool pool;

    @BeforeAll
    static void engines() {
        TestEngines.prepare();
    }

    private WorkerPool pool(BatchPolicy policy) {
        Model m = Model.newInstance("doubler", Device.cpu(), "PyTorch");
        m.setBlock(new LambdaBlock(inputs -> {
            boolean interrupted = false;
            while (true) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (!uninterruptible) {
                        break;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (inputs.head().toFloatArray()[0] < 0) {
                throw new ai.djl.engine.EngineException("the engine refuses negative inputs");
            }
            return new NDList(inputs.head().mul(2));
        }));
        model = new ZooModel<>(m, new NoopTranslator());
        pool = new WorkerPool(
                "doubler:1:cpu",
                model,
                Device.cpu(),
                List.of("x"),
                policy,
                1,
                new PoolMeters(meters, "doubler", "1", "cpu"));
        return pool;
    }

    @AfterEach
    void close() {
        gate = NEVER;
        if (pool != null) {
            pool.close(Duration.ofSeconds(5));
        }
        if (model != null) {
            model.close();
        }
    }

    private static List<HostTensor> rows(float... values) {
        return List.of(HostTensor.ofFloats(new long[] {values.length, 1}, values));
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAtOnce() throws Exception {
        pool(new BatchPolicy(1, Duration.ZERO, 2));
        gate = new CountDownLatch(1);
        CompletableFuture<List<HostTensor>> running = pool.submit(rows(1), Duration.ofSeconds(10));
        awaitBusy();
        CompletableFuture<List<HostTensor>> queued1 = pool.submit(rows(2), Duration.ofSeconds(10));
        CompletableFuture<List<HostTensor>> queued2 = pool.submit(rows(3), Duration.ofSeconds(10));
        assertThatThrownBy(() -> pool.submit(rows(4), Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(Failure.class, e -> {
                    assertThat(e.kind()).isEqualTo(Failure.Kind.CAPACITY);
                    assertThat(e.retryAfterSeconds()).isNotNull();
                });
        gate.countDown();
        assertThat(running.get().get(0).toFloatArray()).containsExactly(2f);
        assertThat(queued1.get().get(0).toFloatArray()).containsExactly(4f);
        assertThat(queued2.get().get(0).toFloatArray()).containsExactly(6f);
        assertThat(meters.get("seqserve.requests.rejected")
                        .tag("reason", "queue_full")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aRequestWhoseDeadlinePassedInTheQueueIsDroppedAsDeadline() throws Exception {
        pool(new BatchPolicy(1, Duration.ZERO, 4));
        gate = new CountDownLatch(1);
        CompletableFuture<List<HostTensor>> running = pool.submit(rows(1), Duration.ofSeconds(10));
        awaitBusy();
        CompletableFuture<List<HostTensor>> late = pool.submit(rows(2), Duration.ofMillis(1));
        Thread.sleep(20);
        gate.countDown();
        running.get();
        assertThatThrownBy(late::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.DEADLINE));
        assertThat(meters.get("seqserve.requests.rejected")
                        .tag("reason", "deadline")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void anEngineFailureIsTheEnginesNotTheCallersAndTheWorkerLivesOn() throws Exception {
        pool(new BatchPolicy(1, Duration.ZERO, 4));
        CompletableFuture<List<HostTensor>> failing = pool.submit(rows(-1), Duration.ofSeconds(10));
        assertThatThrownBy(failing::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(Failure.class, e -> {
                    assertThat(e.kind()).isEqualTo(Failure.Kind.ENGINE);
                    assertThat(e.getMessage()).contains("the engine refuses negative inputs");
                });
        assertThat(pool.submit(rows(3), Duration.ofSeconds(10)).get().get(0).toFloatArray())
                .containsExactly(6f);
    }

    @Test
    void stacksWaitingRequestsIntoOneForwardPassAndSplitsTheAnswers() throws Exception {
        pool(new BatchPolicy(8, Duration.ZERO, 16));
        gate = new CountDownLatch(1);
        CompletableFuture<List<HostTensor>> first = pool.submit(rows(1), Duration.ofSeconds(10));
        awaitBusy();
        List<CompletableFuture<List<HostTensor>>> waiting = new ArrayList<>();
        waiting.add(pool.submit(rows(10, 20), Duration.ofSeconds(10)));
        waiting.add(pool.submit(rows(30), Duration.ofSeconds(10)));
        waiting.add(pool.submit(rows(40, 50, 60), Duration.ofSeconds(10)));
        gate.countDown();
        first.get();
        assertThat(waiting.get(0).get().get(0).toFloatArray()).containsExactly(20f, 40f);
        assertThat(waiting.get(1).get().get(0).toFloatArray()).containsExactly(60f);
        assertThat(waiting.get(2).get().get(0).toFloatArray()).containsExactly(80f, 100f, 120f);
        var batches = meters.get("seqserve.batch.size").summary();
        assertThat(batches.count())
                .as("one pass for the first, one for the three waiting")
                .isEqualTo(2);
        assertThat(batches.totalAmount()).isEqualTo(4);
    }

    @Test
    void requestsOfAnotherShapeWaitForTheirOwnBatch() throws Exception {
        pool(new BatchPolicy(8, Duration.ZERO, 16));
        gate = new CountDownLatch(1);
        CompletableFuture<List<HostTensor>> first = pool.submit(rows(1), Duration.ofSeconds(10));
        awaitBusy();
        var wide = pool.submit(
                List.of(HostTensor.ofFloats(new long[] {1, 2}, new float[] {1, 2})), Duration.ofSeconds(10));
        var narrow = pool.submit(rows(5), Duration.ofSeconds(10));
        gate.countDown();
        first.get();
        assertThat(wide.get().get(0).shape()).containsExactly(1, 2);
        assertThat(narrow.get().get(0).toFloatArray()).containsExactly(10f);
    }

    @Test
    void aPassThatOutlivesTheDrainKeepsThePoolUnterminatedUntilItEnds() throws Exception {
        pool(new BatchPolicy(1, Duration.ZERO, 4));
        gate = new CountDownLatch(1);
        uninterruptible = true;
        CompletableFuture<List<HostTensor>> running = pool.submit(rows(1), Duration.ofSeconds(30));
        awaitBusy();
        pool.close(Duration.ZERO); // interrupts, waits 5 s, returns with the pass still running
        assertThat(pool.terminated()).as("the model must not be closed yet").isNotDone();
        gate.countDown();
        pool.terminated().get(10, TimeUnit.SECONDS);
        assertThat(running.get().get(0).toFloatArray()).containsExactly(2f);
    }

    @Test
    void closingDrainsQueuedWorkThenRefusesNewWork() throws Exception {
        pool(new BatchPolicy(1, Duration.ZERO, 8));
        gate = new CountDownLatch(1);
        List<CompletableFuture<List<HostTensor>>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(pool.submit(rows(i), Duration.ofSeconds(10)));
        }
        new Thread(() -> {
                    sleep(100);
                    gate.countDown();
                })
                .start();
        pool.close(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertThat(all.get(i).get().get(0).toFloatArray()).containsExactly(2f * i);
        }
        assertThatThrownBy(() -> pool.submit(rows(1), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
    }

    private void awaitBusy() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.busyWorkers() == 0 || pool.queueDepth() > 0) {
            assertThat(System.nanoTime()).isLessThan(until);
            Thread.onSpinWait();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
