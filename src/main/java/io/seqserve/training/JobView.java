package io.seqserve.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.accuracy.Promotions;
import io.seqserve.training.nn.EpochStats;
import io.seqserve.training.task.Splits;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A training job as the API shows it and as {@code job.json} stores it. {@code request} is the body as
 * submitted, before defaults (what an {@code Idempotency-Key} is compared against, and what a resumed job
 * runs again).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        String status,
        String modelName,
        String task,
        String device,
        Progress progress,
        List<EpochStats> history,
        Search search,
        Result result,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String idempotencyKey,
        TrainingRequest request) {

    /** The phase of the final model's training (a search's trials come before it). */
    static final String TRAIN = "train";
    /** The phase of a job that has ended, whichever way. */
    static final String FINISHED = "finished";

    /**
     * The newest epoch of the current phase: {@code trial 2/4 fold 1/3} during a search, {@code train} for
     * the final model, {@code finished} once the job has ended (then without {@code eta_seconds}); also the
     * data of each SSE {@code progress} event.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Progress(
            String phase,
            int epoch,
            int epochs,
            Double trainLoss,
            Double valLoss,
            Double bestValLoss,
            Double samplesPerSecond,
            Double etaSeconds) {

        /** The same epoch once the job has ended: nothing is left to wait for. */
        Progress finished() {
            return new Progress(FINISHED, epoch, epochs, trainLoss, valLoss, bestValLoss, samplesPerSecond, null);
        }

        /** The same epoch while nothing runs (queued again after a shutdown): no time left to estimate. */
        Progress paused() {
            return new Progress(phase, epoch, epochs, trainLoss, valLoss, bestValLoss, samplesPerSecond, null);
        }
    }

    /** A grid search: every finished trial's cross-validation score (lower is better) and the winner. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SearchReport")
    record Search(int folds, int gridSize, List<Trial> trials, Map<String, Object> best) {}

    /** One scored trial; also the data of each SSE {@code trial} event. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Trial(int index, Map<String, Object> params, double score, List<Double> foldScores) {}

    /**
     * The published version, its metrics, and per part of the data (train, validation, test) how many
     * values were real rather than filled in.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** {@code promotion}: the gate's pending comparison when the job asked for {@code promote_if_better}. */
    record Result(
            String model,
            long version,
            Map<String, Object> metrics,
            Splits splits,
            @JsonInclude(JsonInclude.Include.NON_NULL) Promotions.Pending promotion) {}
}
