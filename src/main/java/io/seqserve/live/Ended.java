package io.seqserve.live;

import io.seqserve.Failure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why recent sessions ended, so a call on one hears that (410 with the reason) instead of an unknown id (404).
 * Bounded: the oldest endings are forgotten first.
 */
final class Ended {

    /** How a session ends; the id is the {@code reason} tag of {@code seqserve_sessions_ended_total}. */
    enum Reason {
        DELETED("deleted", "was deleted"),
        EXPIRED("expired", "ended after its idle time (ttl_seconds) passed without a call"),
        EVICTED(
                "evicted",
                "was evicted, least recently used, to make room for another session"
                        + " (seqserve.sessions.max-sessions / max-state-bytes)"),
        VERSION_GONE("version_gone", "ended because its model version was unloaded or deleted");

        final String id;
        final String detail;

        Reason(String id, String detail) {
            this.id = id;
            this.detail = detail;
        }
    }

    private final Map<String, Reason> recent;

    Ended(int capacity) {
        this.recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Reason> eldest) {
                return size() > capacity;
            }
        });
    }

    void remember(String id, Reason reason) {
        recent.put(id, reason);
    }

    /** GONE with the reason for a session that ended recently, else NOT_FOUND. */
    Failure unknown(String id) {
        Reason reason = recent.get(id);
        if (reason == null) {
            return Failure.notFound("no session " + id + " on this replica: it never existed, ended long ago, or lives"
                    + " on another replica (a session stays on the replica that created it; see docs/deployment.md)");
        }
        return Failure.gone("session " + id + " " + reason.detail + "; open a new one");
    }
}
