package io.seqserve.forecasting;

import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models the forecasting tests serve, published once into the shared test models root (each version
 * prepared beside it and renamed into place) under names starting with {@code fc-}. Real models from
 * {@code src/test/resources/shared-models} (provenance in its README.md) with the manifests a user would
 * write, plus one multi-horizon SavedModel written from Java ({@link DriftSavedModel}).
 */
final class ForecastTestModels {

    static final Path SHARED = TestModelRoot.SHARED;
    static final JsonNode SUNSPOTS_META = readJson(SHARED.resolve("pytorch/sunspots_lstm_w24/meta.json"));
    static final double MEAN = SUNSPOTS_META.get("mean").asDouble();
    static final double STD = SUNSPOTS_META.get("std").asDouble();
    static final String SUNSPOTS_BLOCK =
            "task: forecasting\nforecasting:\n  window: 24\n  features: 1\n  target_index: 0\n"
                    + "  output: next_step\n  scaling: {method: zscore, mean: [" + MEAN + "], std: [" + STD + "]}\n";
    private static final String TORCHSCRIPT_INPUT =
            "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: [-1, 24, 1]}\n";

    /** Every model name published here; the tests wait until all are available. */
    static final List<String> NAMES = List.of(
            "fc-sunspots",
            "fc-sunspots-onnx",
            "fc-sunspots-derived",
            "fc-sunspots-bounded",
            "fc-sunspots-cal",
            "fc-sunspots-heldout",
            "fc-passes",
            "fc-refs",
            "fc-msft",
            "fc-bilstm",
            "fc-bilstm-cal",
            "fc-convlstm",
            "fc-convlstm-w10",
            "fc-seq2seq",
            "fc-tsla",
            "fc-drift",
            "fc-generic",
            "fc-bad-block",
            "fc-wrong-window");

    /** Versions whose forecasting block does not fit their signature: the task check fails them at load. */
    static final java.util.Set<String> UNUSABLE = java.util.Set.of("fc-bad-block", "fc-wrong-window", "fc-seq2seq");

    private static boolean published;

    private ForecastTestModels() {}

    static synchronized void publish() throws IOException {
        if (published) {
            return;
        }
        published = true;
        for (String name : List.of("fc-sunspots", "fc-sunspots-cal", "fc-sunspots-heldout", "fc-passes")) {
            version(name, 1, dir -> torchscript(dir, SUNSPOTS_BLOCK));
        }
        version("fc-sunspots-onnx", 1, dir -> onnx(dir, SUNSPOTS_BLOCK));
        // no inputs: the forecasting block's window and features say them
        version("fc-sunspots-derived", 1, dir -> {
            torchscript(dir, "");
            Files.writeString(dir.resolve("seqserve.yaml"), "format: torchscript\n" + SUNSPOTS_BLOCK);
        });
        version(
                "fc-sunspots-bounded",
                1,
                dir -> torchscript(
                        dir, SUNSPOTS_BLOCK + "  bounds: {lower: 0, upper: 400}\n  residuals: {\"1\": [1000]}\n"));
        // every served mean is clipped to 0: what a backtest scores shows whether it clips too
        version("fc-sunspots-capped", 1, dir -> torchscript(dir, SUNSPOTS_BLOCK + "  bounds: {upper: 0}\n"));
        version("fc-refs", 1, dir -> torchscript(dir, SUNSPOTS_BLOCK));
        version("fc-refs", 2, dir -> onnx(dir, SUNSPOTS_BLOCK));
        version(
                "fc-msft",
                1,
                dir -> savedModel(dir, "lstm_msft_w5", "task: forecasting\nforecasting: {window: 5, features: 1}\n"));
        version("fc-bilstm", 1, dir -> savedModel(dir, "bilstm_series_w20", "task: forecasting\n"));
        version("fc-bilstm-cal", 1, dir -> savedModel(dir, "bilstm_series_w20", "task: forecasting\n"));
        version("fc-convlstm", 1, dir -> savedModel(dir, "convlstm_mintemp_varlen", "task: forecasting\n"));
        version(
                "fc-convlstm-w10",
                1,
                dir -> savedModel(dir, "convlstm_mintemp_varlen", "task: forecasting\nforecasting: {window: 10}\n"));
        version("fc-seq2seq", 1, dir -> savedModel(dir, "lstm_seq2seq_w7h3f12", "task: forecasting\n"));
        version("fc-tsla", 1, dir -> savedModel(dir, "gru_tsla_w14f6", "task: forecasting\n"));
        version("fc-drift", 1, dir -> {
            DriftSavedModel.export(dir);
            Files.writeString(
                    dir.resolve("seqserve.yaml"), "task: forecasting\nforecasting: {output: multi_horizon}\n");
        });
        version(
                "fc-bad-block",
                1,
                dir -> torchscript(dir, "task: forecasting\nforecasting: {window: 0, colour: red}\n"));
        version("fc-wrong-window", 1, dir -> torchscript(dir, "task: forecasting\nforecasting: {window: 12}\n"));
        version("fc-generic", 1, dir -> savedModel(dir, "lstm_msft_w5", ""));
    }

    private interface Writer {
        void write(Path dir) throws IOException;
    }

    /** Prepares a version in a temp directory under the root, then renames it into place. */
    private static void version(String name, int version, Writer writer) throws IOException {
        Path root = TestModelRoot.get();
        Path staging = Files.createTempDirectory(root, ".publish-");
        Path dir = staging.resolve("v");
        Files.createDirectories(dir);
        writer.write(dir);
        Files.createDirectories(root.resolve(name));
        Files.move(dir, root.resolve(name).resolve(String.valueOf(version)), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(staging);
    }

    private static void torchscript(Path dir, String manifest) throws IOException {
        Files.copy(
                SHARED.resolve("pytorch/sunspots_lstm_w24/sunspots_lstm_w24.pt"), dir.resolve("sunspots_lstm_w24.pt"));
        Files.writeString(dir.resolve("seqserve.yaml"), TORCHSCRIPT_INPUT + manifest);
    }

    private static void onnx(Path dir, String manifest) throws IOException {
        Files.copy(
                SHARED.resolve("pytorch/sunspots_lstm_w24/sunspots_lstm_w24.onnx"),
                dir.resolve("sunspots_lstm_w24.onnx"));
        Files.writeString(dir.resolve("seqserve.yaml"), manifest);
    }

    private static void savedModel(Path dir, String source, String manifest) throws IOException {
        TestModelRoot.copy(SHARED.resolve("savedmodels/" + source), dir);
        if (!manifest.isEmpty()) {
            Files.writeString(dir.resolve("seqserve.yaml"), manifest);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
