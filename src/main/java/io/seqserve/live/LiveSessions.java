package io.seqserve.live;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.Pin;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Live sessions: server-held state (an RNN's state, a window, a text) that a client extends one observation or
 * one continuation at a time instead of resending its history. Each session is pinned to the model version it
 * started on; calls on one session run one at a time; memory is bounded ({@link SessionLimits}); changed
 * sessions are snapshotted and restored after a restart ({@link SessionSnapshots}). What a session holds and
 * computes is its task's ({@link LiveTask}).
 */
@Service
public class LiveSessions {

    static final String ID_PATTERN = "ls_[0-9a-f]{32}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, LiveTask> tasks;
    private final Inference inference;
    private final ModelRegistry registry;
    private final StepBatchers batchers;
    private final LiveMetrics metrics;
    private final LiveProperties properties;
    private final SessionLimits limits;
    private final Ended ended;

    LiveSessions(
            List<LiveTask> tasks,
            Inference inference,
            ModelRegistry registry,
            StepBatchers batchers,
            LiveMetrics metrics,
            LiveProperties properties) {
        this.tasks = tasks.stream().collect(Collectors.toMap(LiveTask::task, Function.identity()));
        this.inference = inference;
        this.registry = registry;
        this.batchers = batchers;
        this.metrics = metrics;
        this.properties = properties;
        this.ended = new Ended(properties.rememberEnded());
        this.limits = new SessionLimits(sessions, properties, this::end);
        metrics.bind(limits, SessionLimits::bytes);
    }

    // ---- the API ---------------------------------------------------------------------------------

    /** Opens a session on the version {@code ref} names, pinned to it; its task reads {@code request}. */
    public CompletableFuture<SessionView> create(ModelRef ref, SessionRequest request) {
        long start = System.nanoTime();
        ModelVersion version;
        try (var lease = inference.open(ref, "session")) {
            version = lease.version();
        }
        LiveTask task = taskOf(version);
        Duration ttl = ttl(request.ttlSeconds());
        Pin pin = registry.pin(version.name(), version.version());
        CompletableFuture<LiveState> opened;
        try {
            opened = task.open(version, batchers.of(version), request);
        } catch (RuntimeException e) {
            pin.close();
            metrics.operation(task.task(), "create", Failure.outcome(e), System.nanoTime() - start);
            throw e;
        }
        return opened.handle((state, error) -> {
            metrics.operation(
                    task.task(), "create", Failure.outcome(Throwables.unwrap(error)), System.nanoTime() - start);
            if (error != null) {
                pin.close();
                throw new CompletionException(Throwables.unwrap(error));
            }
            Instant now = Instant.now();
            LiveSession s =
                    new LiveSession(newId(), task.task(), version.name(), version.version(), now, ttl, pin, state, now);
            try {
                limits.admit(s, state.bytes());
            } catch (RuntimeException e) {
                pin.close();
                throw e;
            }
            metrics.started(task.task(), "created");
            task.answered(s.id(), version, state);
            return SessionView.of(s, task);
        });
    }

    /** The session's view; a look counts as a use (its idle clock restarts). */
    public SessionView view(String id) {
        LiveSession s = get(id);
        s.touch();
        return SessionView.of(s, tasks.get(s.task()));
    }

    /** Takes new observations into a session and answers its view (with the new forecast). */
    public CompletableFuture<SessionView> observe(String id, ObserveRequest request) {
        long start = System.nanoTime();
        Claim claim = claim(id, null, null);
        LiveTask task = tasks.get(claim.session().task());
        CompletableFuture<LiveState> next;
        try {
            next = task.observe(claim.version(), batchers.of(claim.version()), claim.state(), request);
        } catch (RuntimeException e) {
            metrics.operation(task.task(), "observe", Failure.outcome(e), System.nanoTime() - start);
            throw claim.fail(e);
        }
        return next.handle((state, error) -> {
            metrics.operation(
                    task.task(), "observe", Failure.outcome(Throwables.unwrap(error)), System.nanoTime() - start);
            if (error != null) {
                throw claim.fail(Throwables.unwrap(error));
            }
            claim.commit(state);
            task.answered(id, claim.version(), state);
            metrics.observed(task.task(), request.observations().size());
            return SessionView.of(claim.session(), task);
        });
    }

    /** A new session with a copy of this one's state, pinned to the same version: two futures from one past. */
    public SessionView fork(String id) {
        Claim claim = claim(id, null, null);
        try {
            LiveSession s = claim.session();
            LiveTask task = tasks.get(s.task());
            Pin pin = registry.pin(s.model(), s.version());
            Instant now = Instant.now();
            LiveSession copy =
                    new LiveSession(newId(), s.task(), s.model(), s.version(), now, s.ttl(), pin, claim.state(), now);
            try {
                limits.admit(copy, claim.state().bytes());
            } catch (RuntimeException e) {
                pin.close();
                throw e;
            }
            metrics.started(s.task(), "forked");
            return SessionView.of(copy, task);
        } finally {
            claim.release();
        }
    }

    public void delete(String id) {
        LiveSession s = get(id);
        end(s, Ended.Reason.DELETED);
    }

    /**
     * Claims session {@code id} for one call of a task that drives the model itself (a generation): checks it is
     * a session of {@code task} (when given) on model {@code model} (when given), and that its version still
     * serves. The caller commits the new state or releases the claim, exactly once.
     */
    public Claim claim(String id, String task, String model) {
        LiveSession s = get(id);
        if (task != null && !task.equals(s.task())) {
            throw Failure.unprocessable(
                    "session", "session " + id + " is a " + s.task() + " session; this call needs a " + task + " one");
        }
        if (model != null && !model.equals(s.model())) {
            throw Failure.unprocessable(
                    "session",
                    "session " + id + " belongs to model '" + s.model() + "' version " + s.version() + ", not '" + model
                            + "'");
        }
        s.claim();
        Claim claim = new Claim(this, s);
        try {
            claim.requireServing();
        } catch (RuntimeException e) {
            throw claim.fail(e);
        }
        s.touch();
        return claim;
    }

    SessionLimits limits() {
        return limits;
    }

    ModelRegistry registry() {
        return registry;
    }

    // ---- inside the package ----------------------------------------------------------------------

    LiveSession get(String id) {
        LiveSession s = id == null ? null : sessions.get(id);
        if (s == null) {
            throw ended.unknown(id);
        }
        return s;
    }

    Map<String, LiveSession> all() {
        return sessions;
    }

    LiveTask task(String name) {
        return tasks.get(name);
    }

    /** Registers a session read from a snapshot. */
    void restored(LiveSession s) {
        limits.admit(s, s.state().bytes());
        metrics.started(s.task(), "restored");
    }

    /** Ends a session once: removed, its pin closed, its ending remembered and counted. */
    void end(LiveSession s, Ended.Reason reason) {
        if (sessions.remove(s.id(), s)) {
            limits.released(s.state().bytes());
            s.pin().close();
            ended.remember(s.id(), reason);
            metrics.ended(s.task(), reason);
        }
    }

    Duration ttl(Long seconds) {
        if (seconds == null) {
            return properties.idleTtl();
        }
        if (seconds > properties.maxTtl().toSeconds()) {
            throw Failure.invalid(
                    "ttl_seconds",
                    "must be at most " + properties.maxTtl().toSeconds() + " (seqserve.sessions.max-ttl)");
        }
        return Duration.ofSeconds(seconds);
    }

    private LiveTask taskOf(ModelVersion version) {
        LiveTask task = tasks.get(version.task());
        if (task == null) {
            throw Failure.unprocessable("model '" + version.name() + "' has task '" + version.task()
                    + "'; live sessions are for forecasting and text-generation models");
        }
        return task;
    }

    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "ls_" + HexFormat.of().formatHex(bytes);
    }
}
