package io.seqserve.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The models root the HTTP tests share (one Spring context, one load): the real models from
 * {@code src/test/resources/shared-models} (provenance in its README.md) laid out as
 * {@code <name>/<version>/}, SavedModels built in Java by {@link TestSavedModels}, and broken versions
 * that must fail alone.
 *
 * <p>These baseline models are immutable: no test writes under them. A test that adds models (and may
 * change or remove them) does so under names of its own ({@code reg-}, {@code fc-}, {@code gen-},
 * {@code tr-}, ...), so a test can check that its requests changed nothing by comparing
 * {@link #baselineTree()} before and after, whatever other tests are still doing in the root.
 */
public final class TestModelRoot {

    public static final Path SHARED = Path.of("src/test/resources/shared-models");
    public static final long RNN_SEED = 42;
    public static final int KNOWN_LM_VOCAB = 7;
    private static Path root;
    private static List<String> baseline;
    private static List<String> builtTree;

    private TestModelRoot() {}

    public static synchronized Path get() {
        if (root == null) {
            try {
                Path built = build(Files.createTempDirectory("seqserve-models-"));
                try (Stream<Path> names = Files.list(built)) {
                    baseline =
                            names.map(p -> p.getFileName().toString()).sorted().toList();
                }
                root = built;
                builtTree = baselineTree();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** The names of the baseline models (those this class lays out). */
    public static synchronized List<String> baseline() {
        get();
        return baseline;
    }

    /** {@link #baselineTree()} as it was built, before any test ran. */
    public static synchronized List<String> builtTree() {
        get();
        return builtTree;
    }

    /** Every path under the baseline models with its size (-1 for a directory), sorted. */
    public static List<String> baselineTree() {
        Path root = get();
        List<String> tree = new ArrayList<>();
        for (String name : baseline()) {
            try (Stream<Path> walk = Files.walk(root.resolve(name))) {
                walk.map(p -> root.relativize(p) + ":" + size(p)).forEach(tree::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        tree.sort(Comparator.naturalOrder());
        return tree;
    }

    private static long size(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -2;
        }
    }

    private static Path build(Path root) throws IOException {
        copy(SHARED.resolve("savedmodels/half_plus_two_cpu"), root.resolve("half_plus_two/00000123"));
        copy(SHARED.resolve("savedmodels/half_plus_two_tf2_cpu"), root.resolve("half-plus-two-tf2/1"));
        copy(SHARED.resolve("savedmodels/lstm_msft_w5"), root.resolve("msft-lstm/1"));
        copy(SHARED.resolve("savedmodels/textgen_char_gru_homl"), root.resolve("textgen-gru/1"));
        torchscript(root, "sunspots", "sunspots_lstm_w24", "[-1, 24, 1]", "");
        torchscript(
                root,
                "batched-sunspots",
                "sunspots_lstm_w24",
                "[-1, 24, 1]",
                "batching: {max_batch_size: 16, max_delay_ms: 200}\n");
        torchscript(root, "seed-rnn", "seed_rnn_10x8", "[-1, 10, 8]", "");
        onnx(root, "sunspots-onnx", "sunspots_lstm_w24");
        onnx(root, "seed-rnn-onnx", "seed_rnn_10x8");
        TestSavedModels.halfPlusTwo(root.resolve("java-half-plus-two/1"));
        TestSavedModels.simpleRnn(root.resolve("java-simple-rnn/1"), RNN_SEED);
        TestSavedModels.knownAnswerLanguageModel(root.resolve("java-known-lm/1"), KNOWN_LM_VOCAB);
        TestSavedModels.withoutServingDefault(root.resolve("no-serving-default/1"));
        Files.createDirectories(root.resolve("corrupt/1"));
        Files.writeString(root.resolve("corrupt/1/saved_model.pb"), "this is not a protocol buffer");
        copy(SHARED.resolve("savedmodels/gru_msft_w5"), root.resolve("missing-variables/1"));
        Files.delete(root.resolve("missing-variables/1/variables/variables.index"));
        return root;
    }

    private static void torchscript(Path root, String name, String source, String shape, String extra)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(name + "/1"));
        Files.copy(SHARED.resolve("pytorch/" + source + "/" + source + ".pt"), dir.resolve(source + ".pt"));
        Files.writeString(
                dir.resolve("seqserve.yaml"),
                "format: torchscript\ninputs:\n  - {name: input, dtype: float32, shape: " + shape + "}\n" + extra);
    }

    private static void onnx(Path root, String name, String source) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name + "/1"));
        Files.copy(SHARED.resolve("pytorch/" + source + "/" + source + ".onnx"), dir.resolve(source + ".onnx"));
    }

    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
