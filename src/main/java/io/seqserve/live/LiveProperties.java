package io.seqserve.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds and timing of live sessions ({@code seqserve.sessions.*}).
 *
 * @param maxSessions      sessions held at once; creating one more evicts the least recently used
 * @param maxStateBytes    bytes of session state held at once (state tensors, windows, text); beyond, the least
 *                         recently used sessions are evicted
 * @param idleTtl          idle time after which a session ends, unless it asked for another ({@code ttl_seconds})
 * @param maxTtl           the longest idle time a session may ask for
 * @param snapshotInterval how often changed sessions are written under the data directory (also at shutdown)
 * @param maxStepRows      most session steps in one forward pass
 * @param rememberEnded    ended sessions remembered, so a late call hears why (410) rather than 404
 */
@ConfigurationProperties("seqserve.sessions")
public record LiveProperties(
        @DefaultValue("10000") int maxSessions,
        @DefaultValue("256MB") DataSize maxStateBytes,
        @DefaultValue("1h") Duration idleTtl,
        @DefaultValue("24h") Duration maxTtl,
        @DefaultValue("1s") Duration snapshotInterval,
        @DefaultValue("512") int maxStepRows,
        @DefaultValue("10000") int rememberEnded) {

    public LiveProperties {
        if (maxSessions < 1 || maxStepRows < 1 || rememberEnded < 0) {
            throw new IllegalArgumentException(
                    "seqserve.sessions.max-sessions and max-step-rows must be >= 1, remember-ended >= 0");
        }
        if (maxStateBytes.toBytes() < 1 || idleTtl.isNegative() || idleTtl.isZero() || maxTtl.compareTo(idleTtl) < 0) {
            throw new IllegalArgumentException(
                    "seqserve.sessions.max-state-bytes and idle-ttl must be > 0, and max-ttl >= idle-ttl");
        }
        if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
            throw new IllegalArgumentException("seqserve.sessions.snapshot-interval must be > 0");
        }
    }
}
