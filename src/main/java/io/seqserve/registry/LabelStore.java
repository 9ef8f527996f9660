package io.seqserve.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Version labels of one model ({@code production -> 3}), kept in {@code <root>/<name>/labels.json}, and its
 * routing settings ({@code {"canary_weight": 0.2}}) in {@code routing.json} beside it; both written atomically.
 */
final class LabelStore {

    static final String FILE = "labels.json";
    static final String ROUTING_FILE = "routing.json";
    private static final String CANARY_WEIGHT = "canary_weight";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private LabelStore() {}

    static Map<String, Long> read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            TreeMap<String, Long> labels =
                    JSON.readValue(Files.readString(file), new TypeReference<TreeMap<String, Long>>() {});
            // Map.copyOf throws NullPointerException on "null" or a null version, which would abort the whole scan.
            if (labels == null || labels.containsValue(null)) {
                throw new IllegalStateException("unreadable " + file + ": labels must map names to version numbers");
            }
            return Map.copyOf(labels);
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("unreadable " + file + ": " + e.getMessage(), e);
        }
    }

    static void write(Path modelDir, Map<String, Long> labels) throws IOException {
        AtomicFiles.writeString(
                modelDir.resolve(FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new TreeMap<>(labels)));
    }

    /** The canary weight saved for a model, null when none is; IllegalStateException when the file is unreadable. */
    static Double readCanaryWeight(Path modelDir) {
        Path file = modelDir.resolve(ROUTING_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Map<String, Double> routing =
                    JSON.readValue(Files.readString(file), new TypeReference<TreeMap<String, Double>>() {});
            Double weight = routing == null ? null : routing.get(CANARY_WEIGHT);
            if (weight != null && !(weight >= 0 && weight <= 1)) {
                throw new IllegalStateException("unreadable " + file + ": canary_weight must be in [0, 1]");
            }
            return weight;
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("unreadable " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeCanaryWeight(Path modelDir, double weight) throws IOException {
        AtomicFiles.writeString(
                modelDir.resolve(ROUTING_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(CANARY_WEIGHT, weight)));
    }
}
