package io.seqserve.live;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/models/{ref}/sessions}. Which fields apply depends on the model's task:
 * forecasting takes {@code history} (numbers, or rows of all variables per time step; {@code null} marks a gap,
 * filled as {@code fill} says), {@code future} (the future covariates over the horizon, for a model that reads
 * them), {@code horizon} and {@code level}; text generation takes {@code text}.
 * {@code ttl_seconds} is the idle time after which the session ends (at most {@code seqserve.sessions.max-ttl}).
 */
public record SessionRequest(
        @Schema(
                implementation = Object.class,
                description =
                        "forecasting: the series so far, numbers or rows of every variable per step (null: a gap)")
        JsonNode history,

        @Schema(
                implementation = Object.class,
                description = "forecasting: rows of the model's future covariates over the horizon")
        JsonNode future,

        @Positive(message = "must be an integer >= 1") Integer horizon,

        @Size(max = 10, message = "must be a list of at most 10 percentages, e.g. [80, 95]")
        List<
                        @NotNull
                        @DecimalMin(
                                value = "0",
                                inclusive = false,
                                message = "each level must be strictly between 0 and 100")
                        @DecimalMax(
                                value = "100",
                                inclusive = false,
                                message = "each level must be strictly between 0 and 100")
                        Double>
                level,

        String fill,
        String text,
        @Positive(message = "must be an integer >= 1") Long ttlSeconds) {

    public static final SessionRequest EMPTY = new SessionRequest(null, null, null, null, null, null, null);
}
