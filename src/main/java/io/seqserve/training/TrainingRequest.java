package io.seqserve.training;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * The body of {@code POST /v1/training-jobs} (API.md). Every field but {@code model_name} and
 * {@code dataset} has a default; {@link #withDefaults()} fills them in, {@link RequestCheck} validates.
 *
 * @param window forecasting: history steps per example
 * @param horizon forecasting: steps predicted at once (1: one step ahead, served recursively)
 * @param season forecasting: period of the seasonal-naive baseline
 * @param sequenceLength text: characters per training example
 * @param embeddingSize text: size of the character embedding
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TrainingRequest(String modelName, String task, DatasetRef dataset, Integer window, Integer horizon, Integer season,
        Integer sequenceLength, Integer embeddingSize, Architecture architecture, Settings training, Search search,
        String device, String description) {

    static final String FORECASTING = "forecasting";
    static final String TEXT = "text-generation";

    /**
     * Where the data comes from: an uploaded data set ({@code id}) with its {@code column}, or
     * {@code columns} and the {@code target} among them; or inline {@code values} (numbers, or rows of
     * numbers with {@code target_index}) or {@code text}. {@code null} marks a missing value.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DatasetRef(String id, String column, List<String> columns, String target, Integer targetIndex, JsonNode values,
            String text) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Architecture(String cell, Integer hiddenSize, Integer layers, Double dropout, Boolean attention) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Settings(Integer epochs, Integer batchSize, Double learningRate, Double validationFraction, Double testFraction,
            Integer earlyStoppingPatience, Long seed) {}

    /** Values to try; every combination is one trial, scored by rolling-origin cross-validation over {@code folds}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Search(List<Double> learningRate, List<Integer> hiddenSize, List<Integer> layers, List<Double> dropout,
            List<String> cell, List<Boolean> attention, List<Integer> batchSize, List<Integer> window,
            List<Integer> sequenceLength, List<Integer> embeddingSize, Integer folds) {}

    boolean text() {
        return TEXT.equals(task);
    }

    TrainingRequest withDefaults() {
        boolean isText = TEXT.equals(task);
        Architecture a = architecture == null ? new Architecture(null, null, null, null, null) : architecture;
        Settings s = training == null ? new Settings(null, null, null, null, null, null, null) : training;
        Search q = search == null ? null : new Search(search.learningRate, search.hiddenSize, search.layers, search.dropout,
                search.cell, search.attention, search.batchSize, search.window, search.sequenceLength, search.embeddingSize,
                or(search.folds, 3));
        return new TrainingRequest(modelName, or(task, FORECASTING), dataset,
                isText ? null : or(window, 24), isText ? null : or(horizon, 1), isText ? null : or(season, 12),
                isText ? or(sequenceLength, 64) : null, isText ? or(embeddingSize, 16) : null,
                new Architecture(or(a.cell, "lstm"), or(a.hiddenSize, 32), or(a.layers, 1), or(a.dropout, 0.0),
                        or(a.attention, false)),
                new Settings(or(s.epochs, 20), or(s.batchSize, 32), or(s.learningRate, 0.005), or(s.validationFraction, 0.2),
                        or(s.testFraction, 0.1), or(s.earlyStoppingPatience, 5), or(s.seed, 0L)),
                q, or(device, "auto"), description);
    }

    /** The hyperparameters of one training run, before any search overrides. */
    Hyper hyper() {
        return new Hyper(architecture.cell(), architecture.hiddenSize(), architecture.layers(), architecture.dropout(),
                architecture.attention(), training.batchSize(), training.learningRate(),
                window == null ? 0 : window, sequenceLength == null ? 0 : sequenceLength,
                embeddingSize == null ? 0 : embeddingSize);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
