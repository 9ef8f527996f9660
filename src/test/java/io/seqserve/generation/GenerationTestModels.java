package io.seqserve.generation;

import ai.djl.engine.Engine;
import io.seqserve.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Real TensorFlow SavedModels for the generation tests, written from Java with the org.tensorflow API
 * (as {@code TestSavedModels} does): models whose next token is known exactly, a stateful one, a
 * window-reading one, one that fails on a given token, and a stateful re-export of the Keras char GRU.
 */
final class GenerationTestModels {

    private static final String PREDICT_METHOD = "tensorflow/serving/predict";
    private static final float SCALE = 10f;

    private GenerationTestModels() {}

    /**
     * Stateful: {@code tokens} int64 [-1, 1] and {@code state} float32 [-1, 1] (tokens seen so far) ->
     * {@code logits} [-1, V] and {@code new_state} = state + 1. The next token is
     * {@code (token + new_state) mod V}, so it depends on the whole history through the state.
     */
    static void statefulCounter(Path dir, int vocabSize) throws IOException {
        export(dir, tf -> {
            Placeholder<TInt64> tokens =
                    tf.withName("tokens").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, 1)));
            Placeholder<TFloat32> state =
                    tf.withName("state").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
            Operand<TFloat32> one = tf.withName("step").variable(tf.constant(1f));
            Operand<TFloat32> newState = tf.withName("new_state").math.add(state, one);
            Operand<TInt64> next = tf.math.floorMod(
                    tf.math.add(tokens, tf.dtypes.cast(newState, TInt64.class)), tf.constant((long) vocabSize));
            Operand<TFloat32> logits = tf.withName("logits")
                    .oneHot(
                            tf.reshape(next, tf.constant(new int[] {-1})),
                            tf.constant(vocabSize),
                            tf.constant(SCALE),
                            tf.constant(0f));
            return Signature.builder()
                    .input("tokens", tokens)
                    .input("state", state)
                    .output("logits", logits)
                    .output("new_state", newState);
        });
    }

    /** {@code tokens} int32 [-1, window] -> {@code logits} [-1, V] whose argmax is {@code sum(tokens) mod V}. */
    static void windowSum(Path dir, int vocabSize, int window) throws IOException {
        export(dir, tf -> {
            Placeholder<TInt32> tokens =
                    tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, window)));
            Operand<TFloat32> scale = tf.withName("scale").variable(tf.constant(SCALE));
            Operand<TInt32> next = tf.math.floorMod(tf.sum(tokens, tf.constant(1)), tf.constant(vocabSize));
            Operand<TFloat32> logits =
                    tf.withName("logits").oneHot(next, tf.constant(vocabSize), scale, tf.constant(0f));
            return Signature.builder().input("tokens", tokens).output("logits", logits);
        });
    }

    /** Like the known-answer model ({@code (t + 1) mod V}), but the forward pass fails once {@code bad} is in its input. */
    static void failingOn(Path dir, int vocabSize, long bad) throws IOException {
        export(dir, tf -> {
            Placeholder<TInt64> tokens =
                    tf.withName("tokens").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
            Operand<TFloat32> scale = tf.withName("scale").variable(tf.constant(SCALE));
            Operand<TInt64> next =
                    tf.math.floorMod(tf.math.add(tokens, tf.constant(1L)), tf.constant((long) vocabSize));
            Operand<TFloat32> logits = tf.oneHot(next, tf.constant(vocabSize), scale, tf.constant(0f));
            Operand<TFloat32> seen = tf.max(
                    tf.dtypes.cast(tf.math.equal(tokens, tf.constant(bad)), TFloat32.class),
                    tf.constant(new int[] {0, 1}));
            Operand<TFloat32> poisoned =
                    tf.math.mul(logits, tf.math.div(tf.constant(1f), tf.math.sub(tf.constant(1f), seen)));
            Operand<TFloat32> checked =
                    tf.withName("logits").debugging.checkNumerics(poisoned, "token " + bad + " seen");
            return Signature.builder().input("tokens", tokens).output("logits", checked);
        });
    }

    /**
     * The Keras char GRU of {@code textgen_char_gru_homl} (Embedding(39,16) -> GRU(128) -> Dense(39,
     * softmax)) re-exported with its own weights as a one-step stateful model: {@code tokens} float32
     * [-1, 1] and {@code state} [-1, 128] -> {@code probabilities} [-1, 39] and {@code new_state}.
     */
    static void statefulKerasGru(Path kerasModel, Path dir) throws IOException {
        loadNativeLibrary();
        List<float[][]> w = readCheckpoint(
                kerasModel.resolve("variables/variables"),
                "layer_with_weights-0/embeddings",
                "variables/1",
                "variables/2",
                "variables/3",
                "layer_with_weights-2/kernel");
        float[] denseBias = readCheckpoint1d(kerasModel.resolve("variables/variables"), "layer_with_weights-2/bias");
        int units = w.get(2).length;
        export(dir, tf -> {
            Placeholder<TFloat32> tokens =
                    tf.withName("tokens").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
            Placeholder<TFloat32> h =
                    tf.withName("state").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, units)));
            Operand<TFloat32> embeddings = tf.withName("embeddings").variable(tf.constant(w.get(0)));
            Operand<TFloat32> kernel = tf.withName("kernel").variable(tf.constant(w.get(1)));
            Operand<TFloat32> recurrent = tf.withName("recurrent_kernel").variable(tf.constant(w.get(2)));
            Operand<TFloat32> inputBias = tf.withName("input_bias").variable(tf.constant(w.get(3)[0]));
            Operand<TFloat32> recurrentBias = tf.withName("recurrent_bias").variable(tf.constant(w.get(3)[1]));
            Operand<TFloat32> dense = tf.withName("dense_kernel").variable(tf.constant(w.get(4)));
            Operand<TFloat32> denseB = tf.withName("dense_bias").variable(tf.constant(denseBias));
            Operand<TInt32> ids = tf.reshape(tf.dtypes.cast(tokens, TInt32.class), tf.constant(new int[] {-1}));
            Operand<TFloat32> x = tf.gather(embeddings, ids, tf.constant(0));
            // Keras GRU, reset_after=True: gates z, r, candidate in that order.
            var xs = tf.split(tf.constant(1), tf.math.add(tf.linalg.matMul(x, kernel), inputBias), 3L)
                    .output();
            var hs = tf.split(tf.constant(1), tf.math.add(tf.linalg.matMul(h, recurrent), recurrentBias), 3L)
                    .output();
            Operand<TFloat32> z = tf.math.sigmoid(tf.math.add(xs.get(0), hs.get(0)));
            Operand<TFloat32> r = tf.math.sigmoid(tf.math.add(xs.get(1), hs.get(1)));
            Operand<TFloat32> candidate = tf.math.tanh(tf.math.add(xs.get(2), tf.math.mul(r, hs.get(2))));
            Operand<TFloat32> newH = tf.withName("new_state")
                    .math
                    .add(tf.math.mul(z, h), tf.math.mul(tf.math.sub(tf.constant(1f), z), candidate));
            Operand<TFloat32> probabilities =
                    tf.withName("probabilities").nn.softmax(tf.math.add(tf.linalg.matMul(newH, dense), denseB));
            return Signature.builder()
                    .input("tokens", tokens)
                    .input("state", h)
                    .output("probabilities", probabilities)
                    .output("new_state", newH);
        });
    }

    private static List<float[][]> readCheckpoint(Path prefix, String... names) {
        try (Graph g = new Graph();
                Session session = new Session(g)) {
            Restore restore = restore(Ops.create(g), prefix, names);
            try (Result result = fetchAll(session, restore)) {
                return java.util.stream.IntStream.range(0, names.length)
                        .mapToObj(i -> StdArrays.array2dCopyOf((TFloat32) result.get(i)))
                        .toList();
            }
        }
    }

    private static float[] readCheckpoint1d(Path prefix, String name) {
        try (Graph g = new Graph();
                Session session = new Session(g)) {
            Restore restore = restore(Ops.create(g), prefix, name);
            try (Result result = fetchAll(session, restore)) {
                return StdArrays.array1dCopyOf((TFloat32) result.get(0));
            }
        }
    }

    private static Restore restore(Ops tf, Path prefix, String... names) {
        String[] keys = java.util.Arrays.stream(names)
                .map(n -> n + "/.ATTRIBUTES/VARIABLE_VALUE")
                .toArray(String[]::new);
        String[] slices = new String[names.length];
        java.util.Arrays.fill(slices, "");
        List<Class<? extends TType>> types = Collections.nCopies(names.length, TFloat32.class);
        return tf.train.restore(
                tf.constant(prefix.toString()),
                tf.constant(NdArrays.vectorOfObjects(keys)),
                tf.constant(NdArrays.vectorOfObjects(slices)),
                types);
    }

    private static Result fetchAll(Session session, Restore restore) {
        Session.Runner runner = session.runner();
        restore.tensors().forEach(runner::fetch);
        return runner.run();
    }

    private static void export(Path dir, Function<Ops, Signature.Builder> graph) throws IOException {
        loadNativeLibrary();
        try (Graph g = new Graph();
                Session session = new Session(g)) {
            Signature signature = graph.apply(Ops.create(g))
                    .key(Signature.DEFAULT_KEY)
                    .methodName(PREDICT_METHOD)
                    .build();
            session.initialize();
            SavedModelBundle.exporter(dir.toString())
                    .withSession(session)
                    .withSignature(signature)
                    .export();
        }
    }

    /** As TestSavedModels: DJL's engine start-up points org.tensorflow at the extracted natives. */
    private static void loadNativeLibrary() {
        TestEngines.prepare();
        Engine.getEngine("TensorFlow");
    }
}
