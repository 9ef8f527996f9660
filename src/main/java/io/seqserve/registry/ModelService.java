package io.seqserve.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.RuntimeProperties;

import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one way every task feature runs a model: lease the version a {@link ModelRef} names, turn the
 * request into tensors against its signature, queue them on its workers, count and time the outcome.
 * The lease is held until the result is ready, so an unload never cuts a request short.
 */
@Service
public class ModelService {

    /** A finished forward pass: the version that ran it and its outputs in signature order. */
    public record Result(ModelVersion version, List<HostTensor> outputs) {}

    private final ModelRegistry registry;
    private final Duration defaultTimeout;
    private final MeterRegistry meters;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    public ModelService(ModelRegistry registry, RuntimeProperties runtime, MeterRegistry meters) {
        this.registry = registry;
        this.defaultTimeout = runtime.requestTimeout();
        this.meters = meters;
    }

    /**
     * Runs one request. {@code prepare} validates and converts the request for the leased version; it
     * may throw {@link Failure}. {@code timeout} (null: the configured default) bounds queueing.
     */
    public CompletableFuture<Result> run(ModelRef ref, String api, Duration timeout,
            Function<ModelVersion, List<HostTensor>> prepare) {
        long start = System.nanoTime();
        Lease lease;
        try {
            lease = registry.lease(ref.name(), ref.version(), ref.label());
        } catch (Failure e) {
            record(ref.name(), "none", api, e, start);
            throw e;
        }
        return submit(lease, true, api, timeout, prepare, start);
    }

    /**
     * Runs one request on a version the caller already holds, so that a task of many forward passes
     * (recursive forecasting, decoding) stays on one version even while a newer one takes over. The
     * caller closes the lease when its last pass is done.
     */
    public CompletableFuture<Result> run(Lease lease, String api, Duration timeout,
            Function<ModelVersion, List<HostTensor>> prepare) {
        return submit(lease, false, api, timeout, prepare, System.nanoTime());
    }

    private CompletableFuture<Result> submit(Lease lease, boolean owned, String api, Duration timeout,
            Function<ModelVersion, List<HostTensor>> prepare, long start) {
        ModelVersion version = lease.version();
        CompletableFuture<List<HostTensor>> pending;
        try {
            List<HostTensor> inputs = prepare.apply(version);
            LoadedModel model = lease.model();
            if (model == null) {
                // A held lease outlived the drain timeout and its version was closed under it.
                throw Failure.unavailable("model '" + version.name() + "' version " + version.version() + " was unloaded");
            }
            pending = model.submit(inputs, timeout == null ? defaultTimeout : timeout);
        } catch (RuntimeException e) {
            if (owned) {
                lease.close();
            }
            record(version.name(), String.valueOf(version.version()), api, e, start);
            throw e;
        }
        return pending.handle((outputs, error) -> {
            if (owned) {
                lease.close();
            }
            Throwable cause = Throwables.unwrap(error);
            record(version.name(), String.valueOf(version.version()), api, cause, start);
            if (cause != null) {
                throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            }
            return new Result(version, outputs);
        });
    }

    private void record(String model, String version, String api, Throwable error, long start) {
        String outcome = Failure.outcome(error);
        String key = model + '\0' + version + '\0' + api + '\0' + outcome;
        counters.computeIfAbsent(key, k -> Counter.builder("seqserve.requests")
                .description("Model requests by outcome").tag("model", model).tag("version", version)
                .tag("api", api).tag("outcome", outcome).register(meters)).increment();
        timers.computeIfAbsent(model + '\0' + api + '\0' + outcome, k -> Timer.builder("seqserve.request.duration")
                .description("Model request latency, queueing included").tag("model", model).tag("api", api)
                .tag("outcome", outcome).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
}
