package io.seqserve.web;

import io.seqserve.Failure;
import java.time.Duration;

/**
 * The optional per-request deadline header every model-call endpoint accepts. Controllers declare it as
 * {@code @RequestHeader(name = HEADER, required = false) @Min(MIN_MS) @Max(MAX_MS) Long}, so a value out of
 * range is refused by validation with the header named in {@code errors}.
 */
public final class RequestTimeout {

    public static final String HEADER = "Request-Timeout-Ms";
    public static final long MIN_MS = 1;
    public static final long MAX_MS = 600_000;

    private RequestTimeout() {}

    /**
     * As {@link #of}, checking the range itself with Bean Validation's messages: for {@code :predict}, whose
     * handler skips method validation (it cost 5% of the HTTP threads' CPU there, bench/README.md).
     */
    public static Duration checked(Long millis) {
        if (millis != null && millis < MIN_MS) {
            throw Failure.invalid(HEADER, "must be greater than or equal to " + MIN_MS);
        }
        if (millis != null && millis > MAX_MS) {
            throw Failure.invalid(HEADER, "must be less than or equal to " + MAX_MS);
        }
        return of(millis);
    }

    /** The header's value as a duration, null when absent (the configured default applies). */
    public static Duration of(Long millis) {
        return millis == null ? null : Duration.ofMillis(millis);
    }
}
