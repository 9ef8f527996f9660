package io.seqserve.testing;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Writes real TensorFlow SavedModels (graph + variables checkpoint) from Java, so tests can serve
 * models without Python or binary fixtures. Each method takes the version directory to create.
 */
public final class TestSavedModels {

    public static final int RNN_STEPS = 10;
    public static final int RNN_FEATURES = 8;
    public static final int RNN_UNITS = 32;

    private static final String PREDICT_METHOD = "tensorflow/serving/predict";

    private TestSavedModels() {}

    /** {@code y = a * x + b} with {@code a = 0.5}, {@code b = 2} held in variables. */
    public static void halfPlusTwo(Path dir) throws IOException {
        export(dir, Signature.DEFAULT_KEY, TestSavedModels::halfPlusTwoGraph);
    }

    /** Same graph as {@link #halfPlusTwo}, but its only signature is {@code other}. */
    public static void withoutServingDefault(Path dir) throws IOException {
        export(dir, "other", TestSavedModels::halfPlusTwoGraph);
    }

    /** Keras {@code SimpleRNN(32)} over {@code [batch, 10, 8]} followed by {@code Dense(1)}. */
    public static void simpleRnn(Path dir, long seed) throws IOException {
        RnnWeights weights = RnnWeights.fromSeed(seed);
        export(dir, Signature.DEFAULT_KEY, tf -> simpleRnnGraph(tf, weights));
    }

    /** Plain-Java evaluation of {@link #simpleRnn} for {@code input[batch][step][feature]}. */
    public static float[] simpleRnnReference(long seed, float[][][] input) {
        RnnWeights weights = RnnWeights.fromSeed(seed);
        float[] output = new float[input.length];
        for (int i = 0; i < input.length; i++) {
            output[i] = weights.forward(input[i]);
        }
        return output;
    }

    /**
     * Maps {@code tokens [batch, time]} (int64) to {@code logits [batch, time, vocabSize]} whose
     * argmax at every position is {@code (token + 1) mod vocabSize}.
     */
    public static void knownAnswerLanguageModel(Path dir, int vocabSize) throws IOException {
        export(dir, Signature.DEFAULT_KEY, tf -> knownAnswerGraph(tf, vocabSize));
    }

    private static void export(Path dir, String signatureKey, Function<Ops, Signature.Builder> graph)
            throws IOException {
        loadNativeLibrary();
        try (Graph g = new Graph();
                Session session = new Session(g)) {
            Signature signature = graph.apply(Ops.create(g))
                    .key(signatureKey)
                    .methodName(PREDICT_METHOD)
                    .build();
            // Variables must hold their values before the exporter checkpoints them.
            session.initialize();
            SavedModelBundle.exporter(dir.toString())
                    .withSession(session)
                    .withSignature(signature)
                    .export();
        }
    }

    /**
     * org.tensorflow finds its natives through JavaCPP; DJL's engine start-up points JavaCPP at
     * the extracted library (TENSORFLOW_LIBRARY_PATH or DJL's cache), so start it first.
     */
    private static void loadNativeLibrary() {
        TestEngines.prepare();
        Engine.getEngine("TensorFlow");
    }

    private static Signature.Builder halfPlusTwoGraph(Ops tf) {
        Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
        Operand<TFloat32> a = tf.withName("a").variable(tf.constant(0.5f));
        Operand<TFloat32> b = tf.withName("b").variable(tf.constant(2.0f));
        Operand<TFloat32> y = tf.withName("y").math.add(tf.math.mul(a, x), b);
        return Signature.builder().input("x", x).output("y", y);
    }

    private static Signature.Builder simpleRnnGraph(Ops tf, RnnWeights weights) {
        Placeholder<TFloat32> input = tf.withName("input")
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, RNN_STEPS, RNN_FEATURES)));
        Operand<TFloat32> w = tf.withName("rnn_kernel").variable(tf.constant(weights.w()));
        Operand<TFloat32> u = tf.withName("rnn_recurrent_kernel").variable(tf.constant(weights.u()));
        Operand<TFloat32> b = tf.withName("rnn_bias").variable(tf.constant(weights.b()));
        Operand<TFloat32> wd = tf.withName("dense_kernel").variable(tf.constant(weights.wd()));
        Operand<TFloat32> bd = tf.withName("dense_bias").variable(tf.constant(weights.bd()));

        // The initial state is zero, so the first step has no recurrent term.
        Operand<TFloat32> h = null;
        for (Operand<TFloat32> step : tf.unstack(input, (long) RNN_STEPS, Unstack.axis(1L))) {
            Operand<TFloat32> preActivation = tf.math.add(tf.linalg.matMul(step, w), b);
            if (h != null) {
                preActivation = tf.math.add(preActivation, tf.linalg.matMul(h, u));
            }
            h = tf.math.tanh(preActivation);
        }
        Operand<TFloat32> output = tf.withName("output").math.add(tf.linalg.matMul(h, wd), bd);
        return Signature.builder().input("input", input).output("output", output);
    }

    private static Signature.Builder knownAnswerGraph(Ops tf, int vocabSize) {
        Placeholder<TInt64> tokens =
                tf.withName("tokens").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
        Operand<TFloat32> scale = tf.withName("scale").variable(tf.constant(10.0f));
        Operand<TInt64> next = tf.math.floorMod(tf.math.add(tokens, tf.constant(1L)), tf.constant((long) vocabSize));
        Operand<TFloat32> logits = tf.withName("logits").oneHot(next, tf.constant(vocabSize), scale, tf.constant(0f));
        return Signature.builder().input("tokens", tokens).output("logits", logits);
    }

    /** SimpleRNN and Dense weights, drawn in a fixed order so graph and reference agree. */
    private record RnnWeights(float[][] w, float[][] u, float[] b, float[][] wd, float[] bd) {

        static RnnWeights fromSeed(long seed) {
            Random random = new Random(seed);
            return new RnnWeights(
                    matrix(random, RNN_FEATURES, RNN_UNITS),
                    matrix(random, RNN_UNITS, RNN_UNITS),
                    matrix(random, 1, RNN_UNITS)[0],
                    matrix(random, RNN_UNITS, 1),
                    matrix(random, 1, 1)[0]);
        }

        private static float[][] matrix(Random random, int rows, int cols) {
            float[][] m = new float[rows][cols];
            for (float[] row : m) {
                for (int j = 0; j < cols; j++) {
                    row[j] = (float) (random.nextGaussian() * 0.1);
                }
            }
            return m;
        }

        /** One sequence {@code [step][feature]} to the single Dense output. */
        float forward(float[][] sequence) {
            float[] h = new float[RNN_UNITS];
            for (float[] x : sequence) {
                float[] next = new float[RNN_UNITS];
                for (int j = 0; j < RNN_UNITS; j++) {
                    double sum = b[j];
                    for (int k = 0; k < RNN_FEATURES; k++) {
                        sum += x[k] * w[k][j];
                    }
                    for (int k = 0; k < RNN_UNITS; k++) {
                        sum += h[k] * u[k][j];
                    }
                    next[j] = (float) Math.tanh(sum);
                }
                h = next;
            }
            double out = bd[0];
            for (int k = 0; k < RNN_UNITS; k++) {
                out += h[k] * wd[k][0];
            }
            return (float) out;
        }
    }
}
