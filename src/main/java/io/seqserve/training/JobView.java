package io.seqserve.training;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A training job as the API shows it and as {@code job.json} stores it. {@code request} is the body as
 * submitted (what an {@code Idempotency-Key} is compared against, and what a resumed job runs again).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobView(String id, String status, String modelName, String task, String device, Progress progress,
        List<EpochStats> history, Search search, Result result, String error, Instant createdAt, Instant startedAt,
        Instant finishedAt, String idempotencyKey, JsonNode request) {

    /**
     * The newest epoch of the current phase ({@code train} for the final model, {@code trial 2/4 fold 1/3}
     * during a search); also the data of each SSE {@code progress} event.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Progress(String phase, int epoch, int epochs, Double trainLoss, Double valLoss, Double bestValLoss,
            Double samplesPerSecond, Double etaSeconds) {}

    /** A grid search: every finished trial's cross-validation score (lower is better) and the winner. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Search(int folds, int gridSize, List<Trial> trials, Map<String, Object> best) {}

    record Trial(int index, Map<String, Object> params, double score, List<Double> foldScores) {}

    record Result(String model, long version, Map<String, Object> metrics) {}
}
