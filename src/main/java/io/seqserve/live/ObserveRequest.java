package io.seqserve.live;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/sessions/{id}:observe}: one or more new time steps, each with every variable the
 * model reads (a number for a univariate model, else a row in the model's variable order), and for a model with
 * future covariates their values over the horizon after the last step ({@code future}, rows of those covariates).
 * Read by the session's task, which names the offending field ({@code observations[2]}) when a value is missing or
 * not a number.
 */
public record ObserveRequest(
        @NotNull(message = "must be a non-empty list of time steps")
        @Schema(
                implementation = Object.class,
                description = "new time steps: numbers, or rows of every variable the model reads")
        JsonNode observations,

        @Schema(
                implementation = Object.class,
                description = "rows of the model's future covariates over the horizon after the last step")
        JsonNode future) {}
