package io.seqserve.live;

import io.seqserve.Failure;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The memory bound of live sessions: at most {@code max-sessions} of them and {@code max-state-bytes} of state.
 * A session that would not fit makes room by evicting the least recently used idle sessions (they end, and a
 * later call on one hears why: 410); when every session is busy there is no room (429), and one session alone
 * larger than the whole bound is refused (413).
 */
final class SessionLimits {

    private final Map<String, LiveSession> sessions;
    private final int maxSessions;
    private final long maxBytes;
    private final BiConsumer<LiveSession, Ended.Reason> end;
    private final AtomicLong bytes = new AtomicLong();

    SessionLimits(
            Map<String, LiveSession> sessions, LiveProperties properties, BiConsumer<LiveSession, Ended.Reason> end) {
        this.sessions = sessions;
        this.maxSessions = properties.maxSessions();
        this.maxBytes = properties.maxStateBytes().toBytes();
        this.end = end;
    }

    double bytes() {
        return bytes.get();
    }

    /** Adds a session of {@code size} bytes, evicting others as needed. */
    synchronized void admit(LiveSession s, long size) {
        fits(size);
        while (sessions.size() + 1 > maxSessions || bytes.get() + size > maxBytes) {
            evictOne(s);
        }
        sessions.put(s.id(), s);
        bytes.addAndGet(size);
    }

    /** A session grows (or shrinks) by {@code delta} bytes; others are evicted when it no longer fits. */
    synchronized void grow(LiveSession s, long delta) {
        if (sessions.get(s.id()) != s) {
            return; // evicted while its call ran: its bytes left with it
        }
        if (delta > 0) {
            fits(s.state().bytes() + delta);
            while (bytes.get() + delta > maxBytes) {
                evictOne(s);
            }
        }
        bytes.addAndGet(delta);
    }

    void released(long size) {
        bytes.addAndGet(-size);
    }

    private void fits(long size) {
        if (size > maxBytes) {
            throw Failure.tooLarge("the session would hold " + size + " bytes of state, more than all sessions may"
                    + " together (seqserve.sessions.max-state-bytes = " + maxBytes + ")");
        }
    }

    /** Ends the least recently used session that is not busy and not {@code keep}. */
    private void evictOne(LiveSession keep) {
        LiveSession victim = null;
        for (LiveSession s : sessions.values()) {
            if (s != keep && !s.busy() && (victim == null || s.lastUsedNanos() - victim.lastUsedNanos() < 0)) {
                victim = s;
            }
        }
        if (victim == null) {
            throw Failure.capacity(
                    "every live session is busy and there is no room for another (seqserve.sessions.max-sessions,"
                            + " max-state-bytes); retry shortly",
                    1);
        }
        end.accept(victim, Ended.Reason.EVICTED);
    }
}
