package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.series.Fill;
import io.seqserve.series.Frame;
import io.seqserve.series.RollingOrigin;
import io.seqserve.series.Timeline;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The bodies of {@code :forecast}, {@code :backtest} and {@code :calibrate}, bound by Spring MVC and checked
 * by Bean Validation (INVALID, naming the field). What depends on configuration is checked here: sizes
 * over the limits are TOO_LARGE, a horizon beyond the maximum UNPROCESSABLE.
 */
public final class ForecastRequests {

    private ForecastRequests() {}

    static final String SERIES_MESSAGE = "must be a non-empty list of {\"id\", \"values\"}";
    static final String POSITIVE = "must be an integer >= 1";

    /**
     * One series: {@code values} are numbers (univariate) or equally long rows of numbers, one per time step,
     * the model's variables in its order; {@code null} marks a gap. {@code id} defaults to the series' index.
     * {@code future} holds the future covariates' values after the last row (numbers for one covariate, else
     * rows), {@code start} the time of the first value (for calendar features), {@code static_covariates} one
     * value per static covariate of the model.
     */
    public record SeriesInput(
            @Size(min = 1, max = 200, message = "must be a string of 1 to 200 characters")
            @Schema(description = "the series' name in the answer (default: its index)", example = "recent")
            String id,

            @NotNull(message = "must be a non-empty list of numbers or of rows of numbers")
            @JsonDeserialize(using = SeriesValues.class)
            @Schema(ref = "#/components/schemas/NumbersOrRows") // defined in web/OpenApiConfiguration
            double[][] values,

            @JsonDeserialize(using = SeriesValues.class) @Schema(ref = "#/components/schemas/NumbersOrRows")
            double[][] future,

            @Size(min = 4, max = 40, message = "must be a timestamp such as 2024-03-01T10:00, 2024-03-01 or 2024-03")
            String start,

            @Size(max = 1000, message = "must be a list of at most 1000 numbers")
            List<@NotNull(message = "must be a number") Double> staticCovariates) {

        public SeriesInput(String id, double[][] values) {
            this(id, values, null, null, null);
        }
    }

    /** What the three bodies share. */
    public interface SeriesRequest {
        List<SeriesInput> series();

        Fill fill();
    }

    @Schema(
            description = "Series to forecast, the horizon, and interval levels in percent",
            example = "{\"series\": [{\"id\": \"recent\", \"values\": [154.6, 140.4, 115.9, 66.6, 45.9, 17.9, 13.4,"
                    + " 29.4, 100.2, 157.6, 142.6, 145.7, 94.3, 54.6, 29.9, 17.5, 8.6, 21.5, 64.3, 93.3, 119.6, 111.0,"
                    + " 104.0, 63.7]}], \"horizon\": 3, \"level\": [80, 95]}")
    record ForecastRequest(
            @NotEmpty(message = SERIES_MESSAGE) List<@NotNull @Valid SeriesInput> series,

            @NotNull(message = "is required") @Positive(message = POSITIVE)
            Integer horizon,

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

            Fill fill)
            implements SeriesRequest {}

    @Schema(
            description = "Series to backtest: `windows` forecast origins `step` apart, the latest ones; `season`"
                    + " for the seasonal-naive baseline")
    public record BacktestRequest(
            @NotEmpty(message = SERIES_MESSAGE) List<@NotNull @Valid SeriesInput> series,

            @NotNull(message = "is required") @Positive(message = POSITIVE)
            Integer horizon,

            @Positive(message = POSITIVE) Integer windows,
            @Positive(message = POSITIVE) Integer step,
            @Positive(message = POSITIVE) Integer season,

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

            Fill fill)
            implements SeriesRequest {}

    /** {@code windows} left out: as many as the shortest series allows. */
    @Schema(description = "Series to calibrate on (held-out data): residuals per horizon step over `windows` origins")
    record CalibrateRequest(
            @NotEmpty(message = SERIES_MESSAGE) List<@NotNull @Valid SeriesInput> series,
            @Positive(message = POSITIVE) Integer horizon,
            @Positive(message = POSITIVE) Integer windows,
            @Positive(message = POSITIVE) Integer step,
            Fill fill)
            implements SeriesRequest {}

    /** The request's series, checked against the limits: ids unique, series and values within bounds. */
    static List<Series> read(SeriesRequest request, ForecastingProperties limits) {
        List<SeriesInput> list = request.series();
        if (list.size() > limits.maxSeries()) {
            throw Failure.tooLarge(list.size() + " series in one request; the limit is " + limits.maxSeries());
        }
        List<Series> out = new ArrayList<>(list.size());
        Set<String> ids = new HashSet<>();
        long points = 0;
        for (int i = 0; i < list.size(); i++) {
            String field = "series[" + i + "]";
            SeriesInput item = list.get(i);
            String id = item.id() == null ? String.valueOf(i) : item.id();
            if (!ids.add(id)) {
                throw Failure.invalid(field + ".id", "'" + id + "' is used by more than one series");
            }
            points += (long) item.values().length * item.values()[0].length;
            if (item.future() != null) {
                points += (long) item.future().length * item.future()[0].length;
            }
            if (points > limits.maxPoints()) {
                throw Failure.tooLarge("more than " + limits.maxPoints() + " values in one request");
            }
            out.add(new Series(
                    id,
                    field,
                    item.values(),
                    future(item.future(), field),
                    start(item.start(), field),
                    item.staticCovariates() == null
                            ? null
                            : item.staticCovariates().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray(),
                    null));
        }
        return out;
    }

    /** Future covariates are known values: a {@code null} among them is refused, not filled. */
    private static double[][] future(double[][] future, String field) {
        if (future == null) {
            return Frame.NO_FUTURE;
        }
        for (int j = 0; j < future.length; j++) {
            for (double v : future[j]) {
                if (Double.isNaN(v)) {
                    throw Failure.invalid(
                            field + ".future[" + j + "]", "future covariates must be numbers: they are known values");
                }
            }
        }
        return future;
    }

    private static LocalDateTime start(String start, String field) {
        if (start == null) {
            return null;
        }
        try {
            return Timeline.parse(start);
        } catch (IllegalArgumentException e) {
            throw Failure.invalid(field + ".start", e.getMessage());
        }
    }

    /** Rolling-origin windows within the row limit: series x windows rows per pass (TOO_LARGE beyond). */
    static RollingOrigin origin(int horizon, int windows, int step, int seriesCount, ForecastingProperties limits) {
        if ((long) windows * seriesCount > limits.maxRows()) {
            throw Failure.tooLarge(seriesCount + " series x " + windows + " windows = " + (long) windows * seriesCount
                    + " forecasts per pass; the limit is " + limits.maxRows());
        }
        return new RollingOrigin(horizon, windows, step);
    }

    /** A horizon the model may be asked for: at most the configured maximum (UNPROCESSABLE beyond). */
    static int horizon(int horizon, ForecastingProperties limits) {
        if (horizon > limits.maxHorizon()) {
            throw Failure.of(
                    Failure.Code.HORIZON_TOO_LONG,
                    "horizon",
                    horizon + " is beyond the maximum of " + limits.maxHorizon());
        }
        return horizon;
    }

    /** The distinct levels in ascending order; empty when none were asked for. */
    static List<Double> levels(List<Double> level) {
        return level == null ? List.of() : List.copyOf(new TreeSet<>(level));
    }
}
