package io.seqserve.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports each test model and serves it through DJL's TensorFlow engine. */
@EngineTest
class TestSavedModelsTest {

    private static final int VOCAB_SIZE = 7;
    private static final long RNN_SEED = 42L;

    @TempDir
    Path models;

    @Test
    void halfPlusTwoComputesHalfXPlusTwo() throws Exception {
        Path dir = models.resolve("half_plus_two/1");
        TestSavedModels.halfPlusTwo(dir);

        assertThat(dir.resolve("variables/variables.index")).isRegularFile();
        try (ZooModel<NDList, NDList> model = load(dir);
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            assertSingleInput(model, "x", new Shape(-1, 1));
            NDArray x = named(manager.create(new float[][] {{1}, {2}, {5}}), "x");

            NDArray y = predictor.predict(new NDList(x)).singletonOrThrow();

            assertThat(y.getName()).isEqualTo("y");
            assertThat(y.getShape()).isEqualTo(new Shape(3, 1));
            assertThat(y.toFloatArray()).containsExactly(new float[] {2.5f, 3f, 4.5f}, within(1e-6f));
        }
    }

    @Test
    void simpleRnnMatchesJavaReference() throws Exception {
        Path dir = models.resolve("simple_rnn/1");
        TestSavedModels.simpleRnn(dir, RNN_SEED);
        float[][][] input = randomSequences(3);

        try (ZooModel<NDList, NDList> model = load(dir);
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            assertSingleInput(model, "input", new Shape(-1, 10, 8));
            NDArray output = predictor
                    .predict(new NDList(named(toNDArray(manager, input), "input")))
                    .singletonOrThrow();

            assertThat(output.getName()).isEqualTo("output");
            assertThat(output.getShape()).isEqualTo(new Shape(3, 1));
            assertThat(output.toFloatArray())
                    .containsExactly(TestSavedModels.simpleRnnReference(RNN_SEED, input), within(1e-4f));
        }
    }

    @Test
    void knownAnswerLanguageModelPredictsNextToken() throws Exception {
        Path dir = models.resolve("known_answer/1");
        TestSavedModels.knownAnswerLanguageModel(dir, VOCAB_SIZE);
        long[][] tokens = {{0, 1, 2, 6}, {6, 5, 3, 3}};

        assertThat(dir.resolve("variables/variables.index")).isRegularFile();
        try (ZooModel<NDList, NDList> model = load(dir);
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = model.getNDManager().newSubManager()) {
            assertSingleInput(model, "tokens", new Shape(-1, -1));
            NDArray logits = predictor
                    .predict(new NDList(named(manager.create(tokens), "tokens")))
                    .singletonOrThrow();

            assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 4, VOCAB_SIZE));
            long[] argmax = logits.argMax(2).toType(DataType.INT64, false).toLongArray();
            assertThat(argmax).containsExactly(1, 2, 3, 0, 0, 6, 4, 4);
        }
    }

    @Test
    void withoutServingDefaultIsAValidSavedModelDirectory() throws Exception {
        Path dir = models.resolve("other_signature/1");
        TestSavedModels.withoutServingDefault(dir);

        assertThat(dir.resolve("saved_model.pb")).isRegularFile();
        assertThat(dir.resolve("variables/variables.index")).isRegularFile();
    }

    private static ZooModel<NDList, NDList> load(Path dir) throws Exception {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .optEngine("TensorFlow")
                .optTranslator(new NoopTranslator())
                .build()
                .loadModel();
    }

    private static void assertSingleInput(ZooModel<?, ?> model, String name, Shape shape) {
        assertThat(model.describeInput().keys()).containsExactly(name);
        assertThat(model.describeInput().get(0).getValue()).isEqualTo(shape);
    }

    // The TF engine feeds inputs by name; a name matching no signature key crashes the JVM.
    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    // NDManager has no create(float[][][]), so pass the data flat with its shape.
    private static NDArray toNDArray(NDManager manager, float[][][] input) {
        int steps = TestSavedModels.RNN_STEPS;
        int features = TestSavedModels.RNN_FEATURES;
        float[] flat = new float[input.length * steps * features];
        for (int i = 0; i < input.length; i++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(input[i][t], 0, flat, (i * steps + t) * features, features);
            }
        }
        return manager.create(flat, new Shape(input.length, steps, features));
    }

    private static float[][][] randomSequences(int batch) {
        Random random = new Random(7);
        float[][][] input = new float[batch][TestSavedModels.RNN_STEPS][TestSavedModels.RNN_FEATURES];
        for (float[][] sequence : input) {
            for (float[] step : sequence) {
                for (int k = 0; k < step.length; k++) {
                    step[k] = (float) random.nextGaussian();
                }
            }
        }
        return input;
    }
}
