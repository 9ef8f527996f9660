package io.seqserve.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.training.task.DataRef;
import io.seqserve.training.task.Hyper;
import io.seqserve.training.task.TaskSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The body of {@code POST /v1/training-jobs} (API.md), bound strictly ({@link StrictBody}) and checked field
 * by field with Bean Validation; {@link RequestRules} checks what spans fields or depends on configuration.
 * Every field but {@code model_name} and {@code dataset} has a default, filled in by {@link #withDefaults()}.
 *
 * @param window forecasting: history steps per example
 * @param horizon forecasting: steps predicted at once (1: one step ahead, served recursively)
 * @param season forecasting: period of the seasonal-naive baseline
 * @param sequenceLength text: characters per training example
 * @param embeddingSize text: size of the character embedding
 * @param calendar forecasting: calendar features derived from {@code dataset.time_column} (hour, day_of_week, ...)
 * @param frequency forecasting: the time column's frequency (inferred from its first two values when left out)
 * @param idFeatures forecasting: give a global model ({@code dataset.id_column}) one input indicator per series
 * @param lossWeights forecasting: one weight per target in the loss (equal when left out)
 * @param evaluationHorizon forecasting: steps a next-step model is rolled forward when evaluated: its residuals
 *     (intervals) and per-step test metrics cover that many steps (default 12)
 * @param publish forecasting: how the trained version goes live ({@code promote_if_better}: through the promotion
 *     gate, as a shadow that must beat production on {@code min_points} scored actuals)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = StrictBody.class)
@Schema(
        description = "A training job: the data, the task, and hyperparameters (defaults for all but model_name and"
                + " dataset); `search` grid-searches by rolling-origin cross-validation",
        example = "{\"model_name\": \"try-sunspots\", \"task\": \"forecasting\", \"dataset\": {\"values\": [6.3"
                + ", 7.1, 35.6, 73, 85.1, 78, 64, 41.8, 26.2, 26.7, 12.1, 9.5, 2.7, 5, 24.4, 42"
                + ", 63.5, 53.8, 62, 48.5, 43.9, 18.6, 5.7, 3.6, 1.4, 9.6, 47.4, 57.1, 103.9, 80.6"
                + ", 63.6, 37.6, 26.1, 14.2, 5.8, 16.7, 44.3, 63.9, 69, 77.8, 64.9, 35.7, 21.2"
                + ", 11.1, 5.7, 8.7, 36.1, 79.7, 114.4, 109.6, 88.8, 67.8, 47.5, 30.6, 16.3, 9.6"
                + ", 33.2, 92.6, 151.6, 136.3, 134.7, 83.9, 69.4, 31.5, 13.9, 4.4, 38, 141.7, 190.2"
                + ", 184.8, 159, 112.3, 53.9, 37.6, 27.9, 10.2, 15.1, 47, 93.8, 105.9, 105.5, 104.5"
                + ", 66.6, 68.9, 38, 34.5, 15.5, 12.6, 27.5, 92.5, 155.4, 154.6, 140.4, 115.9, 66.6"
                + ", 45.9, 17.9, 13.4, 29.4, 100.2, 157.6, 142.6, 145.7, 94.3, 54.6, 29.9, 17.5"
                + ", 8.6, 21.5, 64.3, 93.3, 119.6, 111, 104, 63.7, 40.4, 29.8, 15.2, 7.5, 2.9]}"
                + ", \"window\": 12, \"horizon\": 1, \"season\": 11, \"architecture\": {\"cell\": \"gru\""
                + ", \"hidden_size\": 16}, \"training\": {\"epochs\": 3, \"seed\": 0}}")
public record TrainingRequest(
        @NotNull(message = "required") String modelName,

        @Pattern(regexp = "forecasting|text-generation", message = "must be forecasting or text-generation")
        String task,

        @NotNull(message = "required: {\"id\", ...} or inline {\"values\"} or {\"text\"}") @Valid
        DataRef dataset,

        @Min(value = 1, message = IN_100K) @Max(value = 100_000, message = IN_100K)
        Integer window,

        @Min(value = 1, message = "must be in 1..10000") @Max(value = 10_000, message = "must be in 1..10000")
        Integer horizon,

        @Min(value = 1, message = IN_100K) @Max(value = 100_000, message = IN_100K)
        Integer season,

        @Min(value = 1, message = IN_100K) @Max(value = 100_000, message = IN_100K)
        Integer sequenceLength,

        @Min(value = 1, message = IN_4096) @Max(value = 4096, message = IN_4096)
        Integer embeddingSize,

        @Valid Architecture architecture,
        @Valid Settings training,
        @Valid Search search,

        @Pattern(regexp = "auto|cpu|gpu|gpu[0-9]{1,2}", message = "must be auto, cpu, gpu or gpuN")
        String device,

        @Size(max = 1000, message = "at most 1000 characters")
        String description,

        @Size(max = 6, message = "at most 6 calendar features")
        List<@NotNull(message = CALENDAR_MESSAGE) @Pattern(regexp = CALENDARS, message = CALENDAR_MESSAGE) String>
                calendar,

        @Size(min = 1, max = 40, message = "must be a frequency such as day, hour, month or PT15M")
        String frequency,

        Boolean idFeatures,

        @Size(min = 1, max = 16, message = "must hold one weight per target")
        List<
                        @NotNull(message = "must be > 0 and <= 1000")
                        @DecimalMin(value = "0", inclusive = false, message = "must be > 0 and <= 1000")
                        @DecimalMax(value = "1000", message = "must be > 0 and <= 1000") Double>
                lossWeights,

        @Min(value = 1, message = "must be in 1..1000") @Max(value = 1000, message = "must be in 1..1000")
        Integer evaluationHorizon,

        @Valid Publish publish) {

    static final String CALENDARS = "hour|day_of_week|day_of_month|day_of_year|month|quarter";
    static final String CALENDAR_MESSAGE =
            "must be one of hour, day_of_week, day_of_month, day_of_year, month, quarter";

    static final String FORECASTING = "forecasting";
    static final String TEXT = "text-generation";
    static final String CELLS = "rnn|lstm|gru";
    static final String CELL_MESSAGE = "unknown cell; must be rnn, lstm or gru";
    static final String IN_100K = "must be in 1..100000";
    static final String IN_4096 = "must be in 1..4096";
    static final String IN_16 = "must be in 1..16";
    static final String IN_BATCH = "must be in 1..65536";

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Architecture(
            @Pattern(regexp = CELLS, message = CELL_MESSAGE) String cell,

            @Min(value = 1, message = IN_4096) @Max(value = 4096, message = IN_4096)
            Integer hiddenSize,

            @Min(value = 1, message = IN_16) @Max(value = 16, message = IN_16)
            Integer layers,

            @DecimalMin(value = "0", message = "must be in [0, 1)")
            @DecimalMax(value = "1", inclusive = false, message = "must be in [0, 1)")
            Double dropout,

            Boolean attention) {}

    /** @param epochs at most {@code seqserve.training.max-epochs} (checked by {@link RequestRules}) */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(
            @Min(value = 1, message = "must be at least 1") Integer epochs,

            @Min(value = 1, message = IN_BATCH) @Max(value = 65_536, message = IN_BATCH)
            Integer batchSize,

            @DecimalMin(value = "0", inclusive = false, message = "must be > 0 and <= 10")
            @DecimalMax(value = "10", message = "must be > 0 and <= 10")
            Double learningRate,

            @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 0.5]")
            @DecimalMax(value = "0.5", message = "must be in (0, 0.5]")
            Double validationFraction,

            @DecimalMin(value = "0", message = "must be in [0, 0.5]")
            @DecimalMax(value = "0.5", message = "must be in [0, 0.5]")
            Double testFraction,

            @Min(value = 0, message = "must be in 0..100000") @Max(value = 100_000, message = "must be in 0..100000")
            Integer earlyStoppingPatience,

            Long seed) {}

    /** Values to try; every combination is one trial, scored by rolling-origin cross-validation over {@code folds}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SearchGrid")
    public record Search(
            List<
                            @NotNull(message = "must be > 0 and <= 10")
                            @DecimalMin(value = "0", inclusive = false, message = "must be > 0 and <= 10")
                            @DecimalMax(value = "10", message = "must be > 0 and <= 10") Double>
                    learningRate,
            List<
                            @NotNull(message = IN_4096) @Min(value = 1, message = IN_4096)
                            @Max(value = 4096, message = IN_4096) Integer>
                    hiddenSize,
            List<@NotNull(message = IN_16) @Min(value = 1, message = IN_16) @Max(value = 16, message = IN_16) Integer>
                    layers,
            List<
                            @NotNull(message = "must be in [0, 1)")
                            @DecimalMin(value = "0", message = "must be in [0, 1)")
                            @DecimalMax(value = "1", inclusive = false, message = "must be in [0, 1)") Double>
                    dropout,
            List<@NotNull(message = CELL_MESSAGE) @Pattern(regexp = CELLS, message = CELL_MESSAGE) String> cell,
            List<@NotNull(message = "must be true or false") Boolean> attention,
            List<
                            @NotNull(message = IN_BATCH) @Min(value = 1, message = IN_BATCH)
                            @Max(value = 65_536, message = IN_BATCH) Integer>
                    batchSize,
            List<
                            @NotNull(message = IN_100K) @Min(value = 1, message = IN_100K)
                            @Max(value = 100_000, message = IN_100K) Integer>
                    window,
            List<
                            @NotNull(message = IN_100K) @Min(value = 1, message = IN_100K)
                            @Max(value = 100_000, message = IN_100K) Integer>
                    sequenceLength,
            List<
                            @NotNull(message = IN_4096) @Min(value = 1, message = IN_4096)
                            @Max(value = 4096, message = IN_4096) Integer>
                    embeddingSize,

            @Min(value = 2, message = "must be in 2..20") @Max(value = 20, message = "must be in 2..20")
            Integer folds) {

        /** The non-empty value lists by snake_case name, in a fixed order (the grid varies the last fastest). */
        public Map<String, List<?>> axes() {
            Map<String, List<?>> axes = new LinkedHashMap<>();
            put(axes, "cell", cell);
            put(axes, "hidden_size", hiddenSize);
            put(axes, "layers", layers);
            put(axes, "dropout", dropout);
            put(axes, "attention", attention);
            put(axes, "batch_size", batchSize);
            put(axes, "learning_rate", learningRate);
            put(axes, "window", window);
            put(axes, "sequence_length", sequenceLength);
            put(axes, "embedding_size", embeddingSize);
            return axes;
        }

        /** Every trial's overrides, in order. */
        public List<Map<String, Object>> grid() {
            return Hyper.grid(axes());
        }

        /** The number of trials ({@code Long.MAX_VALUE} when it overflows). */
        public long gridSize() {
            try {
                return Hyper.gridSize(axes());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        private static void put(Map<String, List<?>> axes, String name, List<?> values) {
            if (values != null && !values.isEmpty()) {
                axes.put(name, values);
            }
        }
    }

    boolean text() {
        return TEXT.equals(task);
    }

    /** This request with every default filled in. */
    TrainingRequest withDefaults() {
        return RequestDefaults.of(this);
    }

    /** The hyperparameters of one training run, before any search overrides (defaults filled in). */
    Hyper hyper() {
        return new Hyper(
                architecture.cell(),
                architecture.hiddenSize(),
                architecture.layers(),
                architecture.dropout(),
                architecture.attention(),
                training.batchSize(),
                training.learningRate(),
                window == null ? 0 : window,
                sequenceLength == null ? 0 : sequenceLength,
                embeddingSize == null ? 0 : embeddingSize);
    }

    /** What the task needs of this request (defaults filled in). */
    TaskSpec taskSpec(double maxMissingFraction) {
        return new TaskSpec(
                text(),
                dataset,
                horizon == null ? 0 : horizon,
                season == null ? 0 : season,
                training.validationFraction(),
                training.testFraction(),
                maxMissingFraction,
                calendar == null ? List.of() : calendar,
                frequency,
                Boolean.TRUE.equals(idFeatures),
                lossWeights,
                evaluationHorizon == null ? 12 : evaluationHorizon);
    }
}
