package io.seqserve.registry;

import io.seqserve.Failure;

import java.time.Duration;

/** The optional per-request deadline header every model-call endpoint accepts. */
public final class RequestTimeout {

    public static final String HEADER = "Request-Timeout-Ms";
    private static final long MAX_MS = 600_000;

    private RequestTimeout() {}

    /** The header's value as a duration, null when absent (the configured default applies). */
    public static Duration parse(Long millis) {
        if (millis == null) {
            return null;
        }
        if (millis < 1 || millis > MAX_MS) {
            throw Failure.invalid(HEADER, "must be between 1 and " + MAX_MS + " milliseconds");
        }
        return Duration.ofMillis(millis);
    }
}
