package io.seqserve.training.task;

import io.seqserve.training.data.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The hyperparameters of one training run. A search trial is the request's values with some of them
 * replaced ({@link #with}); {@link #grid} lists the trials of a search in a fixed order.
 *
 * @param window forecasting window (0 for text)
 * @param sequenceLength text sequence length (0 for forecasting)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Hyper(
        String cell,
        int hiddenSize,
        int layers,
        double dropout,
        boolean attention,
        int batchSize,
        double learningRate,
        int window,
        int sequenceLength,
        int embeddingSize) {

    /**
     * Every combination of the values to try, each as the snake_case overrides it applies.
     *
     * @param axes the non-empty value lists by snake_case name, in the order they vary (the last fastest)
     */
    public static List<Map<String, Object>> grid(Map<String, List<?>> axes) {
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

    /** The size of the grid, without building it (it is checked against a maximum first); overflow throws. */
    public static long gridSize(Map<String, List<?>> axes) {
        long size = 1;
        for (List<?> values : axes.values()) {
            size = Math.multiplyExact(size, values.size());
        }
        return size;
    }

    public Hyper with(Map<String, Object> overrides) {
        Map<String, Object> values = Json.FILES.convertValue(this, new TypeReference<Map<String, Object>>() {});
        values.putAll(overrides);
        return Json.FILES.convertValue(values, Hyper.class);
    }
}
