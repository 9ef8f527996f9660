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
 * A real multi-horizon SavedModel written from Java: the drift forecast over a window of {@value #WINDOW},
 * {@code y[h] = x[last] + h * (x[last] - x[first]) / (WINDOW - 1)} for h = 1..{@value #HORIZON}, as one
 * matrix product {@code [-1, WINDOW, 1] -> [-1, HORIZON]} whose weights are a variable.
 */
final class DriftSavedModel {

    static final int WINDOW = 4;
    static final int HORIZON = 3;

    private DriftSavedModel() {}

    static void export(Path dir) throws IOException {
        TestEngines.prepare();
        Engine.getEngine("TensorFlow");
        try (Graph g = new Graph();
                Session session = new Session(g)) {
            Ops tf = Ops.create(g);
            var input = tf.withName("window").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, WINDOW, 1)));
            Operand<TFloat32> flat = tf.reshape(input, tf.constant(new long[] {-1, WINDOW}));
            Operand<TFloat32> weights = tf.withName("drift").variable(tf.constant(weights()));
            Operand<TFloat32> forecast = tf.withName("forecast").linalg.matMul(flat, weights);
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

    /** The same forecast in plain Java. */
    static double[] reference(double[] window) {
        double last = window[window.length - 1];
        double slope = (last - window[window.length - WINDOW]) / (WINDOW - 1);
        double[] out = new double[HORIZON];
        for (int h = 1; h <= HORIZON; h++) {
            out[h - 1] = last + h * slope;
        }
        return out;
    }

    private static float[][] weights() {
        float[][] w = new float[WINDOW][HORIZON];
        for (int h = 1; h <= HORIZON; h++) {
            float slope = (float) h / (WINDOW - 1);
            w[0][h - 1] = -slope;
            w[WINDOW - 1][h - 1] = 1 + slope;
        }
        return w;
    }
}
