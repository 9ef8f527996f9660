package io.seqserve.training.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Where a job's data comes from (the request's {@code dataset}): an uploaded data set ({@code id}) with its
 * {@code column}, or {@code columns} and the {@code target} among them; or inline {@code values} (numbers,
 * or rows of numbers with {@code target_index}; {@code null} marks a missing value) or {@code text}.
 * Exactly one of {@code id}, {@code values} and {@code text} is given.
 *
 * <p>A CSV data set may instead name its variables by role: {@code targets} (one or more, forecast together),
 * {@code past_covariates} (known up to now only), {@code future_covariates} (known over the horizon too), the
 * {@code time_column} calendar features are derived from, and an {@code id_column} whose values split the rows
 * into series, one global model for all of them (rows of a series in time order).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataRef(
        String id,
        String column,
        @Size(min = 1, message = "must not be empty") List<@NotNull(message = "must be a column name") String> columns,
        String target,
        @Min(value = 0, message = "must be >= 0") Integer targetIndex,

        @Schema(ref = "#/components/schemas/NumbersOrRows") // defined in web/OpenApiConfiguration
        InlineValues values,
        @Size(min = 1, message = "the text is empty") String text,

        @Size(min = 1, max = 16, message = "must name 1 to 16 columns")
        List<@NotNull(message = "must be a column name") String> targets,

        @Size(max = 64, message = "at most 64 columns")
        List<@NotNull(message = "must be a column name") String> pastCovariates,

        @Size(max = 64, message = "at most 64 columns")
        List<@NotNull(message = "must be a column name") String> futureCovariates,

        String timeColumn,
        String idColumn) {

    /** How many sources it names; exactly one is valid. */
    public int sources() {
        return (id != null ? 1 : 0) + (values != null ? 1 : 0) + (text != null ? 1 : 0);
    }

    /** True when the data names its variables by role ({@code targets}, covariates, time or id column). */
    public boolean byRole() {
        return targets != null
                || pastCovariates != null
                || futureCovariates != null
                || timeColumn != null
                || idColumn != null;
    }
}
