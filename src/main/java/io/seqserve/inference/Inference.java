package io.seqserve.inference;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.registry.Lease;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.RuntimeProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * The one way every feature runs a model: lease the version a {@link ModelRef} names, run forward passes
 * on its workers, release it when the task is done, and count every pass ({@link InferenceMetrics}).
 * {@link #call} is a single prediction; {@link #within} a task of many passes on one version (forecasting);
 * {@link #open} hands the session to a caller that ends it itself (generation). The lease is held until
 * the task's last pass is done, so neither an unload nor a hot swap cuts a task short or mixes versions.
 *
 * <p>Futures complete on the worker thread that ran the last pass, with only the lease and the meters
 * touched there; callers continue with {@code *Async} stages on their own named executors.
 */
@Service
public class Inference {

    /** What a single prediction needs: its input tensors, and whatever the caller keeps to format the answer. */
    public interface Call {
        List<HostTensor> inputs();
    }

    /** A finished prediction: the version that ran it, the prepared call, and the outputs in signature order. */
    public record Outcome<C>(ModelVersion version, C call, List<HostTensor> outputs) {}

    private final ModelRegistry registry;
    private final Duration defaultTimeout;
    private final InferenceMetrics metrics;

    Inference(ModelRegistry registry, RuntimeProperties runtime, InferenceMetrics metrics) {
        this.registry = registry;
        this.defaultTimeout = runtime.requestTimeout();
        this.metrics = metrics;
    }

    /**
     * Leases the version {@code ref} names for a task under {@code api}; a ref that names nothing usable
     * throws its {@link Failure} (counted). The caller closes the session.
     */
    public Session open(ModelRef ref, String api) {
        return open(ref, api, System.nanoTime());
    }

    /**
     * One prediction: {@code prepare} validates and converts the request for the leased version (it may
     * throw {@link Failure}, which is counted and rethrown, as is a full queue's {@code CAPACITY}); its
     * inputs run as one pass; the lease is released when the pass ends. {@code timeout} (null: the configured
     * default) bounds queueing.
     */
    public <C extends Call> CompletableFuture<Outcome<C>> call(
            ModelRef ref, String api, Duration timeout, Function<ModelVersion, C> prepare) {
        long start = System.nanoTime();
        Session session = open(ref, api, start);
        C call;
        CompletableFuture<List<HostTensor>> pending;
        try {
            call = prepare.apply(session.version());
            pending = session.pool().submit(call.inputs(), session.timeout(timeout));
        } catch (RuntimeException e) {
            session.record(e, start);
            session.close();
            throw e;
        }
        // One stage on the worker thread: count, release the lease, hand the outcome on.
        CompletableFuture<Outcome<C>> outcome = new CompletableFuture<>();
        pending.whenComplete((outputs, error) -> {
            session.record(Throwables.unwrap(error), start);
            session.close();
            if (error != null) {
                outcome.completeExceptionally(Throwables.unwrap(error));
            } else {
                outcome.complete(new Outcome<>(session.version(), call, outputs));
            }
        });
        return outcome;
    }

    /**
     * A task of many passes on one version: {@code work} gets the session and returns the task's future; the
     * session is closed when that future completes, or at once when {@code work} throws.
     */
    public <T> CompletableFuture<T> within(ModelRef ref, String api, Function<Session, CompletableFuture<T>> work) {
        Session session = open(ref, api);
        CompletableFuture<T> pending;
        try {
            pending = work.apply(session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return pending.whenComplete((result, error) -> session.close());
    }

    private Session open(ModelRef ref, String api, long start) {
        Lease lease;
        try {
            lease = registry.lease(ref.name(), ref.version(), ref.label());
        } catch (RuntimeException e) {
            // Only the names of models the registry holds become tag values (a bounded set); whatever else a
            // client writes in the path is counted under "unknown".
            String model = ref.name() != null && registry.has(ref.name()) ? ref.name() : InferenceMetrics.UNKNOWN;
            metrics.record(model, InferenceMetrics.NO_VERSION, api, e, start);
            throw e;
        }
        return new Session(lease, api, defaultTimeout, metrics);
    }
}
