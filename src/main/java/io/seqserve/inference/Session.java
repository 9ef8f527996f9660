package io.seqserve.inference;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.registry.Lease;
import io.seqserve.registry.LoadedModel;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A version held for one task (a prediction, a forecast of many steps, a generation): its lease keeps the
 * version from being closed, and every forward pass run through it is queued on the version's workers and
 * counted in {@link InferenceMetrics} under the task's api. Close it exactly once, when the task is done.
 */
public final class Session implements ForwardPass, AutoCloseable {

    private final Lease lease;
    private final String api;
    private final Duration defaultTimeout;
    private final InferenceMetrics metrics;

    Session(Lease lease, String api, Duration defaultTimeout, InferenceMetrics metrics) {
        this.lease = lease;
        this.api = api;
        this.defaultTimeout = defaultTimeout;
        this.metrics = metrics;
    }

    public ModelVersion version() {
        return lease.version();
    }

    /** One forward pass with the configured queueing deadline. */
    @Override
    public CompletableFuture<List<HostTensor>> run(List<HostTensor> inputs) {
        return run(inputs, null, System.nanoTime());
    }

    /**
     * One forward pass; {@code timeout} (null: the configured default) bounds the time in the queue, and
     * the time counted starts at {@code startNanos}. A pass that cannot be queued is a failed future.
     */
    CompletableFuture<List<HostTensor>> run(List<HostTensor> inputs, Duration timeout, long startNanos) {
        CompletableFuture<List<HostTensor>> pending;
        try {
            pending = pool().submit(inputs, timeout(timeout));
        } catch (RuntimeException e) {
            record(e, startNanos);
            return CompletableFuture.failedFuture(e);
        }
        return pending.whenComplete((outputs, error) -> record(Throwables.unwrap(error), startNanos));
    }

    /** The worker pool this session's next pass goes to; {@code UNAVAILABLE} when the version was closed. */
    WorkerPool pool() {
        LoadedModel model = lease.model();
        if (model == null) {
            // A held lease outlived the drain timeout and its version was closed under it.
            throw Failure.unavailable(
                    "model '" + version().name() + "' version " + version().version() + " was unloaded");
        }
        return model.pool();
    }

    /** The queueing deadline of a pass: {@code requested}, or the configured default when null. */
    Duration timeout(Duration requested) {
        return requested == null ? defaultTimeout : requested;
    }

    /** Counts how one call of this session ended ({@code error} null: success). */
    void record(Throwable error, long startNanos) {
        metrics.record(version().name(), String.valueOf(version().version()), api, error, startNanos);
    }

    @Override
    public void close() {
        lease.close();
    }
}
