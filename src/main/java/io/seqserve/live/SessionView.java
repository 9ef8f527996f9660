package io.seqserve.live;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A session as the API shows it: where it lives (model and the version it is pinned to), its idle clock, and its
 * task's part ({@code details}, written unwrapped: the forecast, or the text).
 */
public record SessionView(
        String id,
        String task,
        String model,
        long version,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        long ttlSeconds,

        @Schema(
                description = "written unwrapped: the task's fields (forecasting: observations, stateful, horizon,"
                        + " level, forecast, forecasts, warnings; text generation: text, tokens, stateful)")
        @JsonUnwrapped
        Object details) {

    static SessionView of(LiveSession s, LiveTask task) {
        return new SessionView(
                s.id(),
                s.task(),
                s.model(),
                s.version(),
                s.createdAt(),
                s.lastUsedAt(),
                s.expiresAt(),
                s.ttl().toSeconds(),
                task.view(s.state()));
    }
}
