package io.seqserve.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PyTorch exports that take their recurrent state in and return it ({@code shared-models/pytorch/stateful},
 * provenance in its SOURCE.txt): a GRU forecaster on sunspots and a char-GRU language model, each as
 * TorchScript and ONNX, state in PyTorch's layout {@code [layers, batch, hidden]} (batch on axis 1). Versions
 * are prepared beside their final place and renamed in, under names the calling test chooses.
 */
public final class StatefulModels {

    public static final Path DIR = TestModelRoot.SHARED.resolve("pytorch/stateful");
    public static final JsonNode GRU_META = readJson(DIR.resolve("sunspots_gru_state/meta.json"));
    public static final JsonNode CHAR_META = readJson(DIR.resolve("char_gru_state/meta.json"));
    public static final double MEAN = GRU_META.get("mean").asDouble();
    public static final double STD = GRU_META.get("std").asDouble();

    /** TorchScript carries no signature: the forecaster's, with its state declared. */
    public static final String GRU_SIGNATURE = "format: torchscript\n"
            + "inputs:\n"
            + "  - {name: input, dtype: float32, shape: [-1, -1, 1]}\n"
            + "  - {name: h0, dtype: float32, shape: [1, -1, 32]}\n"
            + "outputs:\n"
            + "  - {name: output, dtype: float32, shape: [-1, 1]}\n"
            + "  - {name: hN, dtype: float32, shape: [1, -1, 32]}\n";

    public static final String GRU_STATE = "state: {inputs: [h0], outputs: [hN], batch_axis: 1}\n";

    /** The forecasting block of the sunspots GRU: z-scored as it was trained, one step ahead. */
    public static final String GRU_FORECASTING = "task: forecasting\nforecasting:\n  window: 24\n  features: 1\n"
            + "  output: next_step\n  scaling: {method: zscore, mean: [" + MEAN + "], std: [" + STD + "]}\n";

    private StatefulModels() {}

    /** The sunspots GRU as TorchScript with {@code manifest} (YAML) as its seqserve.yaml. */
    public static void gruTorchScript(String name, long version, String manifest) {
        gruTorchScript(TestModelRoot.get(), name, version, manifest);
    }

    public static void gruTorchScript(Path root, String name, long version, String manifest) {
        publish(root, name, version, dir -> {
            Files.copy(DIR.resolve("sunspots_gru_state/model.pt"), dir.resolve("model.pt"));
            Files.writeString(dir.resolve("seqserve.yaml"), manifest);
        });
    }

    /** The sunspots GRU as ONNX; an empty {@code manifest} writes none. */
    public static void gruOnnx(String name, long version, String manifest) {
        publish(name, version, dir -> {
            Files.copy(DIR.resolve("sunspots_gru_state/model.onnx"), dir.resolve("model.onnx"));
            if (!manifest.isEmpty()) {
                Files.writeString(dir.resolve("seqserve.yaml"), manifest);
            }
        });
    }

    /** The char GRU as TorchScript or ONNX, a text-generation model with its vocabulary and state declared. */
    public static void charGru(String name, long version, boolean onnx) {
        charGru(TestModelRoot.get(), name, version, onnx);
    }

    public static void charGru(Path root, String name, long version, boolean onnx) {
        publish(root, name, version, dir -> {
            String file = onnx ? "model.onnx" : "model.pt";
            Files.copy(DIR.resolve("char_gru_state/" + file), dir.resolve(file));
            Map<String, Object> manifest = new TreeMap<>();
            manifest.put("task", "text-generation");
            if (!onnx) {
                manifest.put("format", "torchscript");
                manifest.put(
                        "inputs",
                        List.of(
                                Map.of("name", "ids", "dtype", "int64", "shape", List.of(-1, -1)),
                                Map.of("name", "h0", "dtype", "float32", "shape", List.of(1, -1, 128))));
                manifest.put(
                        "outputs",
                        List.of(
                                Map.of("name", "logits", "dtype", "float32", "shape", List.of(-1, -1, 71)),
                                Map.of("name", "hN", "dtype", "float32", "shape", List.of(1, -1, 128))));
            }
            manifest.put("state", Map.of("inputs", List.of("h0"), "outputs", List.of("hN"), "batch_axis", 1));
            List<String> vocabulary = new ArrayList<>();
            CHAR_META.get("vocab").forEach(v -> vocabulary.add(v.asString()));
            manifest.put("text_generation", Map.of("level", "char", "output", "logits", "vocabulary", vocabulary));
            Files.writeString(
                    dir.resolve("seqserve.json"), JsonMapper.builder().build().writeValueAsString(manifest));
        });
    }

    /** The two recorded example windows in the series' units (sunspot numbers). */
    public static double[][] gruExamples() {
        JsonNode examples = GRU_META.get("example_input");
        double[][] out = new double[examples.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[examples.get(i).size()];
            for (int t = 0; t < out[i].length; t++) {
                out[i][t] = examples.get(i).get(t).get(0).asDouble() * STD + MEAN;
            }
        }
        return out;
    }

    /** Yearly sunspot numbers 1700-2008 ({@code datasets/sunspots.csv}, SUNACTIVITY). */
    public static double[] sunspots() {
        try {
            List<String> lines = Files.readAllLines(TestModelRoot.SHARED.resolve("datasets/sunspots.csv"));
            return lines.stream()
                    .skip(1)
                    .filter(l -> !l.isBlank())
                    .mapToDouble(l -> Double.parseDouble(l.split(",")[1].trim()))
                    .toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writer of one version directory. */
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    /** Prepares a version in a temp directory under the shared models root, then renames it into place. */
    public static void publish(String name, long version, Writer writer) {
        publish(TestModelRoot.get(), name, version, writer);
    }

    /** Prepares a version in a temp directory under {@code root}, then renames it into place. */
    public static void publish(Path root, String name, long version, Writer writer) {
        try {
            Path staging = Files.createTempDirectory(root, ".publish-");
            Path dir = staging.resolve("v");
            Files.createDirectories(dir);
            writer.write(dir);
            Files.createDirectories(root.resolve(name));
            Files.move(dir, root.resolve(name).resolve(String.valueOf(version)), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readJson(Path file) {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
