package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.inference.Session;
import io.seqserve.live.Claim;
import io.seqserve.live.LiveSessions;
import io.seqserve.registry.Manifest;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
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
    private final LiveSessions sessions;
    private final ModelRegistry registry;
    private final GenerationProperties properties;
    private final GenerationMetrics metrics;
    private final Semaphore slots;
    // Keyed weakly by version: neither value refers to its version, so both go when the version does.
    private final Map<ModelVersion, Plan> plans = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<ModelVersion, StepScheduler> schedulers = Collections.synchronizedMap(new WeakHashMap<>());
    private final ExecutorService loops;

    GenerationService(
            Inference inference,
            LiveSessions sessions,
            ModelRegistry registry,
            GenerationProperties properties,
            GenerationMetrics metrics) {
        this.inference = inference;
        this.sessions = sessions;
        this.registry = registry;
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
        return start(ref, prompt, params, timeout, listener, null);
    }

    /**
     * {@link #start}, continuing live session {@code sessionId} when given: on the version the session is pinned
     * to, from its stored state and text; the prompt and the continuation are appended to it when the generation
     * ends with a result (a failed or cancelled one leaves it as it was).
     */
    Generation start(
            ModelRef ref,
            String prompt,
            SamplingParams params,
            Duration timeout,
            GenerationListener listener,
            String sessionId) {
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
        Claim claim = null;
        try {
            if (sessionId != null) {
                claim = sessions.claim(sessionId, "text-generation", ref.name());
                checkRef(ref, claim);
            }
            try {
                session = inference.open(
                        claim == null
                                ? ref
                                : new ModelRef(ref.name(), claim.version().version(), null),
                        "generate");
            } catch (RuntimeException e) {
                throw claim == null ? e : claim.fail(e);
            }
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
                    release(session),
                    claim == null ? null : (GenerationSessionState) claim.state(),
                    claim == null ? null : sink(claim));
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
            if (claim != null) {
                claim.release();
            }
            slots.release();
            throw e;
        }
    }

    /** A ref that names a version or label must name the session's version: a session never changes version. */
    private void checkRef(ModelRef ref, Claim claim) {
        Long named = ref.version() != null
                ? ref.version()
                : ref.label() != null ? registry.labels(ref.name()).get(ref.label()) : null;
        if ((ref.version() != null || ref.label() != null)
                && (named == null || named != claim.version().version())) {
            throw Failure.unprocessable(
                    "session",
                    "session " + claim.session().id() + " is pinned to version "
                            + claim.version().version() + " of '" + ref.name()
                            + "'; call it on the bare name or that version");
        }
    }

    private static Generation.SessionSink sink(Claim claim) {
        return new Generation.SessionSink() {
            @Override
            public void finished(GenerationSessionState next) {
                claim.commit(next);
            }

            @Override
            public void abandoned() {
                claim.release();
            }
        };
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
