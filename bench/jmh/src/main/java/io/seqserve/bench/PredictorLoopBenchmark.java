package io.seqserve.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The in-process ceiling for :predict on the sunspots LSTM: one Predictor, inputs created per call as
 * the server does, at batch 1 and 32. Forecasts per second = batch x calls per second.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
public class PredictorLoopBenchmark {

    @Param({"1", "32"})
    int batch;

    private ZooModel<NDList, NDList> model;
    private Predictor<NDList, NDList> predictor;
    private float[] window;

    @Setup(Level.Trial)
    public void load() throws Exception {
        Path dir = Path.of(System.getProperty("model.dir", "../../models/sunspots-lstm/1"));
        model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(dir).optEngine("PyTorch")
                .optModelName("sunspots_lstm_w24").optTranslator(new NoopTranslator()).build().loadModel();
        predictor = model.newPredictor();
        window = new float[batch * 24];
        for (int i = 0; i < window.length; i++) {
            window[i] = (float) Math.sin(i / 3.0);
        }
    }

    @Benchmark
    public float predict() throws Exception {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray input = manager.create(window, new Shape(batch, 24, 1));
            NDList out = predictor.predict(new NDList(input));
            return out.head().toFloatArray()[0];
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        predictor.close();
        model.close();
    }
}
