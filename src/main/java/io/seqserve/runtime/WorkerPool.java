package io.seqserve.runtime;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.seqserve.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one model version on one device: a bounded queue feeding N threads, each with its own
 * {@link Predictor} (predictors are not thread-safe; the model is shared). A worker takes a request,
 * then more of the same shape up to the batch size, and runs them as one forward pass.
 *
 * <p>Before a worker takes its first request it gives its thread the engine's intra-op thread count
 * ({@link EngineThreads}) and runs the pool's {@link WarmUp} on its own predictor; {@link #warmedUp}
 * completes when every worker has.
 *
 * <p>Thread-safe. {@link #close} stops intake, lets the workers finish what is queued, then frees the
 * predictors; the caller owns and closes the model itself.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final long IDLE_POLL_MS = 200;

    private final String label;
    private final ZooModel<NDList, NDList> model;
    private final Device device;
    private final List<String> inputNames;
    private final BatchAxes axes;
    private final BatchPolicy policy;
    private final BlockingQueue<InferenceJob> queue;
    private final PoolMeters meters;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stopped;
    private final AtomicInteger busy = new AtomicInteger();
    private final WarmUp warmUp;
    private final AtomicInteger warming;
    private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean accepting = true;

    public WorkerPool(
            String label,
            ZooModel<NDList, NDList> model,
            Device device,
            List<String> inputNames,
            BatchPolicy policy,
            int workers,
            PoolMeters meters) {
        this(label, model, device, inputNames, BatchAxes.LEADING, policy, workers, meters, WarmUp.NONE);
    }

    /** A pool whose requests are stacked along {@code axes} (state tensors may batch on another axis than 0). */
    public WorkerPool(
            String label,
            ZooModel<NDList, NDList> model,
            Device device,
            List<String> inputNames,
            BatchAxes axes,
            BatchPolicy policy,
            int workers,
            PoolMeters meters,
            WarmUp warmUp) {
        this.label = label;
        this.axes = axes;
        this.model = model;
        this.device = device;
        this.inputNames = List.copyOf(inputNames);
        this.policy = policy;
        this.queue = new ArrayBlockingQueue<>(policy.queueCapacity());
        this.meters = meters;
        this.stopped = new CountDownLatch(workers);
        this.warmUp = warmUp;
        this.warming = new AtomicInteger(workers);
        meters.bindQueue(queue::size, busy::get);
        for (int i = 0; i < workers; i++) {
            Thread thread = new Thread(this::runWorker, "worker-" + label + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Queues one request; its tensors must be in the model's input order and have as many rows along their batch
     * axes.
     * Fails at once with {@code CAPACITY} when the queue is full and {@code UNAVAILABLE} once the pool is
     * closing; the future fails with {@code DEADLINE} when the request waited past its deadline and with
     * {@code ENGINE} when the forward pass failed.
     */
    public CompletableFuture<List<HostTensor>> submit(List<HostTensor> inputs, Duration timeout) {
        if (!accepting) {
            throw Failure.unavailable("model version " + label + " is shutting down");
        }
        InferenceJob job = new InferenceJob(inputs, axes, System.nanoTime() + timeout.toNanos());
        if (!queue.offer(job)) {
            meters.rejected();
            throw Failure.capacity(
                    "the queue of " + label + " is full (" + policy.queueCapacity() + " requests); retry shortly", 1);
        }
        return job.result;
    }

    /** Completes when every worker has run the warm-up; fails with the first warm-up pass that failed. */
    public CompletableFuture<Void> warmedUp() {
        return warmedUp;
    }

    public int queueDepth() {
        return queue.size();
    }

    public int busyWorkers() {
        return busy.get();
    }

    public int workers() {
        return threads.size();
    }

    public Device device() {
        return device;
    }

    public BatchPolicy policy() {
        return policy;
    }

    /** Stops intake and waits up to {@code drain} for queued work to finish. */
    public void close(Duration drain) {
        accepting = false;
        try {
            if (!stopped.await(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: workers still busy after {}; interrupting", label, drain);
                threads.forEach(Thread::interrupt);
                if (!stopped.await(5, TimeUnit.SECONDS)) {
                    log.warn("{}: a forward pass is still running; the model is closed when it ends", label);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new ArrayList<>(queue), Failure.unavailable("model version " + label + " was unloaded"));
        queue.clear();
        meters.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Completes when every worker has left its last pass and closed its predictor: only then may the model be
     * closed. A native pass cannot be interrupted, and freeing a model under it crashes the process.
     */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    private void runWorker() {
        Batcher batcher = new Batcher(queue, policy);
        EngineThreads.limitCurrentThread(model.getNDManager().getEngine());
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator(), device)) {
            BatchExecution execution = new BatchExecution(label, predictor, model, device, inputNames, axes, meters);
            warmUp(execution);
            while (accepting || !queue.isEmpty() || batcher.hasCarry()) {
                List<InferenceJob> batch = batcher.next(IDLE_POLL_MS);
                if (!batch.isEmpty()) {
                    busy.incrementAndGet();
                    try {
                        execution.run(batch);
                    } finally {
                        busy.decrementAndGet();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("{}: worker stopped unexpectedly", label, e);
        } finally {
            failAll(batcher.drainCarry(), Failure.unavailable("model version " + label + " was unloaded"));
            stopped.countDown();
            if (stopped.getCount() == 0) {
                terminated.complete(null);
            }
        }
    }

    /** Runs the warm-up passes on this worker's thread and predictor, outside the meters. */
    private void warmUp(BatchExecution execution) {
        try {
            for (List<List<HostTensor>> pass : warmUp.passes()) {
                List<InferenceJob> jobs = new ArrayList<>(pass.size());
                for (List<HostTensor> request : pass) {
                    jobs.add(new InferenceJob(request, axes, Long.MAX_VALUE));
                }
                execution.pass(jobs);
            }
            if (warming.decrementAndGet() == 0) {
                warmedUp.complete(null);
            }
        } catch (RuntimeException e) {
            warmedUp.completeExceptionally(e);
        }
    }

    private static void failAll(List<InferenceJob> jobs, Throwable error) {
        BatchExecution.failAll(jobs, error);
    }
}
