import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;

import java.nio.file.Path;

/**
 * The engine alone, without seqserve: milliseconds per forward pass of a char model at batch 1 and 16,
 * which bounds what step batching can gain (speed-up <= 16 * t(1) / t(16)).
 *
 * <p>Run with the test classpath (see README.md): {@code java -cp ... bench/generation/EngineCeiling.java
 * <version dir> window <input name> <length>} for a whole-window model, or {@code ... <version dir> stateful}
 * for the stateful export (inputs {@code tokens} [b, 1], {@code state} [b, 128]).
 */
public class EngineCeiling {

    public static void main(String[] args) throws Exception {
        io.seqserve.testing.TestEngines.prepare();
        boolean stateful = args[1].equals("stateful");
        try (ZooModel<NDList, NDList> model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(Path.of(args[0]))
                .optEngine("TensorFlow").optTranslator(new NoopTranslator()).build().loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            double[] ms = new double[2];
            int[] batches = {1, 16};
            for (int round = 0; round < 3; round++) {
                for (int b = 0; b < 2; b++) {
                    NDList inputs = stateful ? statefulInputs(manager, batches[b])
                            : windowInputs(manager, batches[b], args[2], Integer.parseInt(args[3]));
                    for (int i = 0; i < 20; i++) {
                        predictor.predict(inputs).close();
                    }
                    int n = stateful ? 2000 : 200;
                    long start = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        predictor.predict(inputs).close();
                    }
                    double took = (System.nanoTime() - start) / 1e6 / n;
                    ms[b] = round == 0 ? took : Math.min(ms[b], took);
                }
            }
            System.out.printf("%s: %.3f ms per pass at batch 1, %.3f ms at batch 16: step batching can gain at most %.1fx%n",
                    args[0], ms[0], ms[1], 16 * ms[0] / ms[1]);
        }
    }

    private static NDList windowInputs(NDManager manager, int batch, String name, int length) {
        NDArray ids = manager.create(new float[batch * length], new Shape(batch, length));
        ids.setName(name);
        return new NDList(ids);
    }

    private static NDList statefulInputs(NDManager manager, int batch) {
        NDArray state = manager.create(new float[batch * 128], new Shape(batch, 128));
        state.setName("state");
        NDArray tokens = manager.create(new float[batch], new Shape(batch, 1));
        tokens.setName("tokens");
        return new NDList(state, tokens);
    }
}
