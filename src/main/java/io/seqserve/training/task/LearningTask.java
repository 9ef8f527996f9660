package io.seqserve.training.task;

import ai.djl.Device;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.Network;
import java.util.Map;

/**
 * A task's data, ready to train on: examples for any hyperparameters and split of the data, the
 * checks that the data is long enough, the cross-validation score of a fit, and the final report
 * (metrics and the manifest block that lets the served model be used for its task).
 */
public interface LearningTask {

    /** End of the training part; the validation part follows up to {@link #valEnd()}, then the test part. */
    int trainEnd();

    int valEnd();

    /** How much of each part is real (not filled in). */
    Splits splits();

    Network network(Hyper hyper);

    /** 422 when the data is too short for these hyperparameters, or for {@code folds} (> 0) of cross-validation. */
    void check(Hyper hyper, int folds);

    /** Examples to train on {@code [0, trainEnd)} and validate on {@code [trainEnd, valEnd)}. */
    Prepared prepare(Hyper hyper, int trainEnd, int valEnd);

    /** One fold's score in the task's units (RMSE, perplexity); lower is better. */
    double score(Prepared prepared, EpochLoop.Fitted fitted);

    Report report(Hyper hyper, Prepared prepared, EpochLoop.Fitted fitted, Device device);

    /** The task's manifest block ({@code forecasting} or {@code text_generation}) and its metrics. */
    record Report(Map<String, Object> block, Map<String, Object> metrics) {}

    /** The task a job describes, read from its data; 422 when the data cannot be learned from as asked. */
    static LearningTask create(TaskSpec spec, DatasetStore datasets) {
        return spec.text() ? TextTask.create(spec, datasets) : SeriesTask.create(spec, datasets);
    }

    /** Rolling-origin folds over the training part: fold i trains on the first i blocks and validates on the next. */
    static int[][] folds(int trainEnd, int folds) {
        int block = trainEnd / (folds + 1);
        int[][] ends = new int[folds][];
        for (int i = 1; i <= folds; i++) {
            ends[i - 1] = new int[] {i * block, i == folds ? trainEnd : (i + 1) * block};
        }
        return ends;
    }
}
