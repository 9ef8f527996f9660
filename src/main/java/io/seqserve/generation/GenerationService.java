package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.inference.Session;
import io.seqserve.registry.Manifest;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.NamedThreads;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Service;

/**
 * Starts generations: admission (a bounded number at once), an {@link Inference} session for the whole
 * generation (so a hot swap lets it finish on its version, and every pass is counted), the model's
 * {@link GenerationModel}, prompt tokenization, then hands the stream to the version's {@link StepScheduler}.
 * Each scheduler's loop runs on a {@code generation-step-N} thread while its version has streams; there
 * are at most as many as streams may run at once.
 */
@Service
class GenerationService {

    private final Inference inference;
    private final GenerationProperties properties;
    private final GenerationMetrics metrics;
    private final Semaphore slots;
    // Keyed weakly by version: neither value refers to its version, so both go when the version does.
    private final Map<ModelVersion, Plan> plans = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<ModelVersion, StepScheduler> schedulers = Collections.synchronizedMap(new WeakHashMap<>());
    private final ExecutorService loops;

    GenerationService(Inference inference, GenerationProperties properties, GenerationMetrics metrics) {
        this.inference = inference;
        this.properties = properties;
        this.metrics = metrics;
        this.slots = new Semaphore(properties.maxConcurrentStreams());
        // A loop exists only while its version has a stream, and streams are bounded by the slots; a loop
        // started while all threads are busy waits at most for one that is just ending.
        this.loops = NamedThreads.fixed("generation-step", properties.maxConcurrentStreams());
    }

    GenerationProperties properties() {
        return properties;
    }

    /**
     * Starts a generation whose output goes to {@code listener}; throws {@link Failure} before
     * anything runs when the request cannot be served. {@code timeout} (null: the configured deadline)
     * may only shorten the deadline. The returned handle can cancel it.
     */
    Generation start(
            ModelRef ref, String prompt, SamplingParams params, Duration timeout, GenerationListener listener) {
        if (prompt.length() > properties.maxPromptLength()) {
            throw Failure.invalid("prompt", "longer than " + properties.maxPromptLength() + " characters");
        }
        if (!slots.tryAcquire()) {
            throw Failure.capacity(
                    "already running " + properties.maxConcurrentStreams()
                            + " generations (seqserve.generation.max-concurrent-streams); retry shortly",
                    1);
        }
        Session session = null;
        try {
            session = inference.open(ref, "generate");
            ModelVersion version = session.version();
            GenerationModel model = plan(version);
            int[] ids = model.tokenizer.encode(prompt);
            Generation generation = new Generation(
                    model,
                    prompt,
                    ids,
                    params,
                    session,
                    version.name(),
                    version.version(),
                    listener,
                    metrics.forModel(version.name()),
                    System.nanoTime() + deadline(timeout).toNanos(),
                    release(session));
            metrics.active().incrementAndGet();
            StepScheduler scheduler = schedulers.computeIfAbsent(
                    version, v -> new StepScheduler(metrics.forModel(v.name()), properties.maxStepRows()));
            if (scheduler.add(generation)) {
                loops.execute(scheduler);
            }
            return generation;
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            slots.release();
            throw e;
        }
    }

    /** A version's model, built again when the version was reloaded with another manifest. */
    private record Plan(Manifest manifest, GenerationModel model) {}

    private GenerationModel plan(ModelVersion version) {
        Plan plan = plans.get(version);
        if (plan == null || plan.manifest() != version.manifest()) {
            plan = new Plan(version.manifest(), GenerationModel.of(version));
            plans.put(version, plan);
        }
        return plan.model();
    }

    private Duration deadline(Duration timeout) {
        return timeout != null && timeout.compareTo(properties.deadline()) < 0 ? timeout : properties.deadline();
    }

    private Runnable release(Session session) {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                session.close();
                slots.release();
                metrics.active().decrementAndGet();
            }
        };
    }

    @PreDestroy
    void stop() {
        NamedThreads.shutdown(loops, Duration.ofSeconds(5));
    }
}
