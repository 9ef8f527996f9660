package io.seqserve.live;

import io.seqserve.Failure;
import io.seqserve.registry.Pin;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live session: a task's state on one model version, pinned to that version for its whole life (an alias
 * move does not change it). Calls on it are one at a time ({@link #claim}); its state is replaced whole, so
 * readers never see half an update. {@link #changes()} counts updates, so the snapshot writer knows what is new.
 */
public final class LiveSession {

    private final String id;
    private final String task;
    private final String model;
    private final long version;
    private final Instant createdAt;
    private final Duration ttl;
    private final Pin pin;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong changes = new AtomicLong();
    private volatile LiveState state;
    private volatile long lastUsedNanos;
    private volatile Instant lastUsedAt;
    private volatile long savedChanges = -1;

    LiveSession(
            String id,
            String task,
            String model,
            long version,
            Instant createdAt,
            Duration ttl,
            Pin pin,
            LiveState state,
            Instant lastUsedAt) {
        this.id = id;
        this.task = task;
        this.model = model;
        this.version = version;
        this.createdAt = createdAt;
        this.ttl = ttl;
        this.pin = pin;
        this.state = state;
        this.lastUsedAt = lastUsedAt;
        this.lastUsedNanos =
                System.nanoTime() - Duration.between(lastUsedAt, Instant.now()).toNanos();
    }

    public String id() {
        return id;
    }

    public String task() {
        return task;
    }

    public String model() {
        return model;
    }

    public long version() {
        return version;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Duration ttl() {
        return ttl;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }

    public Instant expiresAt() {
        return lastUsedAt.plus(ttl);
    }

    public LiveState state() {
        return state;
    }

    Pin pin() {
        return pin;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** Counts as a use: the idle clock and the LRU order start again. */
    void touch() {
        lastUsedNanos = System.nanoTime();
        lastUsedAt = Instant.now();
    }

    boolean idleLongerThanTtl(long now) {
        return now - lastUsedNanos > ttl.toNanos();
    }

    /** Claims the session for one call; CONFLICT when another call is still running on it. */
    void claim() {
        if (!busy.compareAndSet(false, true)) {
            throw Failure.conflict("session " + id + " is busy with another call; send the next one once that one"
                    + " has answered (calls on one session run one at a time, in order)");
        }
    }

    void release() {
        busy.set(false);
    }

    boolean busy() {
        return busy.get();
    }

    /** Replaces the state (the caller holds the claim) and returns the change in bytes. */
    long update(LiveState next) {
        long before = state.bytes();
        state = next;
        changes.incrementAndGet();
        touch();
        return next.bytes() - before;
    }

    long changes() {
        return changes.get();
    }

    /** True when the state changed since the last snapshot of it was written. */
    boolean unsaved() {
        return savedChanges != changes.get();
    }

    void saved(long atChanges) {
        savedChanges = atChanges;
    }
}
