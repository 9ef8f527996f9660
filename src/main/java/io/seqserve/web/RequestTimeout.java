package io.seqserve.web;

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

    /** The header's value as a duration, null when absent (the configured default applies). */
    public static Duration of(Long millis) {
        return millis == null ? null : Duration.ofMillis(millis);
    }
}
