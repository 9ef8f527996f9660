package io.seqserve.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A training job's {@code publish}: {@code promote_if_better} sends the new version through the promotion gate
 * (it shadows production until it has {@code min_points} scored actuals, default
 * {@code seqserve.accuracy.min-points}, and is promoted only if it wins).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Publish(
        Boolean promoteIfBetter,

        @Min(value = 1, message = "must be in 1..10000000") @Max(value = 10_000_000, message = "must be in 1..10000000")
        Integer minPoints,

        Boolean stateful) {

    boolean gated() {
        return Boolean.TRUE.equals(promoteIfBetter);
    }

    boolean withState() {
        return Boolean.TRUE.equals(stateful);
    }
}
