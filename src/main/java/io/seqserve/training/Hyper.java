package io.seqserve.training;

import tools.jackson.core.type.TypeReference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyperparameters of one training run. A search trial is the request's values with some of them
 * replaced ({@link #with}); {@link #grid} lists the trials of a search in a fixed order.
 *
 * @param window forecasting window (0 for text)
 * @param sequenceLength text sequence length (0 for forecasting)
 */
record Hyper(String cell, int hiddenSize, int layers, double dropout, boolean attention, int batchSize, double learningRate,
        int window, int sequenceLength, int embeddingSize) {

    /** Every combination of the search's values, each as the snake_case overrides it applies. */
    static List<Map<String, Object>> grid(TrainingRequest.Search search) {
        Map<String, List<?>> axes = axes(search);
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<?>> axis : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> combo : combos) {
                for (Object value : axis.getValue()) {
                    Map<String, Object> extended = new LinkedHashMap<>(combo);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            combos = next;
        }
        return combos;
    }

    /** The search's non-empty value lists by snake_case name, in a fixed order. */
    static Map<String, List<?>> axes(TrainingRequest.Search s) {
        Map<String, List<?>> axes = new LinkedHashMap<>();
        put(axes, "cell", s.cell());
        put(axes, "hidden_size", s.hiddenSize());
        put(axes, "layers", s.layers());
        put(axes, "dropout", s.dropout());
        put(axes, "attention", s.attention());
        put(axes, "batch_size", s.batchSize());
        put(axes, "learning_rate", s.learningRate());
        put(axes, "window", s.window());
        put(axes, "sequence_length", s.sequenceLength());
        put(axes, "embedding_size", s.embeddingSize());
        return axes;
    }

    /** The size of the grid, without building it (it is checked against a maximum first). */
    static long gridSize(TrainingRequest.Search search) {
        long size = 1;
        for (List<?> values : axes(search).values()) {
            size = Math.multiplyExact(size, values.size());
        }
        return size;
    }

    Hyper with(Map<String, Object> overrides) {
        Map<String, Object> values = Json.FILES.convertValue(this, new TypeReference<Map<String, Object>>() {});
        values.putAll(overrides);
        return Json.FILES.convertValue(values, Hyper.class);
    }

    private static void put(Map<String, List<?>> axes, String name, List<?> values) {
        if (values != null && !values.isEmpty()) {
            axes.put(name, values);
        }
    }
}
