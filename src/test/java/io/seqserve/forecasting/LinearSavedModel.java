package io.seqserve.forecasting;

import ai.djl.engine.Engine;
import io.seqserve.testing.TestEngines;
import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A real SavedModel written from Java whose forecast is a known linear function of its window: input
 * {@code [-1, window, features]}, output {@code [-1, dims...]} = the flattened window ({@code s * features + f})
 * times {@code weights[window * features][product of dims]}, reshaped. Multivariate tests use it to check
 * exactly which input value the server put where.
 */
public final class LinearSavedModel {

    private LinearSavedModel() {}

    public static void export(Path dir, int window, int features, long[] dims, float[][] weights) throws IOException {
        TestEngines.prepare();
        Engine.getEngine("TensorFlow");
        try (Graph g = new Graph();
                Session session = new Session(g)) {
            Ops tf = Ops.create(g);
            var input = tf.withName("window")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, window, features)));
            Operand<TFloat32> flat = tf.reshape(input, tf.constant(new long[] {-1, (long) window * features}));
            Operand<TFloat32> w = tf.withName("weights").variable(tf.constant(weights));
            long[] shape = new long[dims.length + 1];
            shape[0] = -1;
            System.arraycopy(dims, 0, shape, 1, dims.length);
            Operand<TFloat32> forecast = tf.withName("forecast").reshape(tf.linalg.matMul(flat, w), tf.constant(shape));
            Signature signature = Signature.builder()
                    .input("window", input)
                    .output("forecast", forecast)
                    .key(Signature.DEFAULT_KEY)
                    .methodName("tensorflow/serving/predict")
                    .build();
            session.initialize();
            SavedModelBundle.exporter(dir.toString())
                    .withSession(session)
                    .withSignature(signature)
                    .export();
        }
    }

    /** Weights of the given size, all zero but the {@code (input, output)} entries set to {@code value}. */
    public static float[][] weights(int window, int features, int outputs, float[]... entries) {
        float[][] w = new float[window * features][outputs];
        for (float[] e : entries) {
            w[(int) e[0]][(int) e[1]] = e[2];
        }
        return w;
    }
}
