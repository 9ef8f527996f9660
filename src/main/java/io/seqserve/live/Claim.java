package io.seqserve.live;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.registry.ModelState;
import io.seqserve.registry.ModelVersion;
import java.util.List;

/**
 * One call's hold on a live session ({@link LiveSessions#claim}): the session's state to work from and the
 * version it is pinned to. End it exactly once: {@link #commit} the new state, {@link #release} it unchanged, or
 * {@link #fail} with the error (which ends the session too when its version is gone).
 */
public final class Claim {

    private final LiveSessions sessions;
    private final LiveSession session;
    private boolean done;

    Claim(LiveSessions sessions, LiveSession session) {
        this.sessions = sessions;
        this.session = session;
    }

    public LiveSession session() {
        return session;
    }

    public LiveState state() {
        return session.state();
    }

    /** The version the session is pinned to. */
    public ModelVersion version() {
        return session.pin().version();
    }

    /** Stores the call's result as the session's state and ends the claim. */
    public void commit(LiveState next) {
        try {
            sessions.limits().grow(session, next.bytes() - session.state().bytes());
            session.update(next);
        } finally {
            release();
        }
    }

    /** Ends the claim, the state unchanged. */
    public synchronized void release() {
        if (!done) {
            done = true;
            session.release();
        }
    }

    /**
     * Ends the claim after {@code error}, and the session too when its version no longer exists (the error is then
     * GONE, saying so); returns the error to throw.
     */
    public RuntimeException fail(Throwable error) {
        release();
        if (error instanceof Failure f
                && (f.kind() == Failure.Kind.GONE || f.kind() == Failure.Kind.NOT_FOUND)
                && versionGone()) {
            sessions.end(session, Ended.Reason.VERSION_GONE);
            return Failure.gone("session " + session.id() + " ended: model '" + session.model() + "' version "
                    + session.version() + " is no longer loaded (it stopped serving more than"
                    + " seqserve.models.pinned-version-grace ago, or was deleted); open a new session");
        }
        return error instanceof RuntimeException r ? r : Failure.internal(Throwables.rootMessage(error));
    }

    private boolean versionGone() {
        ModelState state = version().state();
        if (state == ModelState.UNLOADED || state == ModelState.UNLOADING || state == ModelState.FAILED) {
            return true;
        }
        try {
            return sessions.registry().versions(session.model()).stream().noneMatch(v -> v == version());
        } catch (Failure e) {
            return true; // the model itself is gone
        }
    }

    /** Throws why the session's version cannot serve now: loading again (503), or gone (410). */
    void requireServing() {
        ModelVersion v = version();
        if (v.state() == ModelState.AVAILABLE) {
            return;
        }
        if (v.state() == ModelState.LOADING || v.state() == ModelState.NEW) {
            throw new Failure(
                    Failure.Kind.UNAVAILABLE,
                    "model '" + v.name() + "' version " + v.version() + " is loading for this session; retry shortly",
                    List.of(),
                    2L,
                    null);
        }
        throw Failure.gone("model '" + v.name() + "' version " + v.version() + " is "
                + v.state().id());
    }
}
