package io.seqserve.forecasting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.NamedThreads;
import io.seqserve.series.Conformal;
import io.seqserve.series.Fill;
import io.seqserve.series.Frame;
import io.seqserve.series.Layout;
import io.seqserve.series.Rollout;
import io.seqserve.series.Scaling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recursive and direct multi-step forecasting against stand-in forward passes (plain functions of the
 * input tensor, run on a thread of their own as a model worker would): what each pass is fed, how many
 * passes a forecast takes, scaling, and on which threads the steps are built.
 */
class ForecasterTest {

    private final ExecutorService worker = NamedThreads.fixed("fake-worker", 1);
    private final ExecutorService continuations = NamedThreads.fixed("test-continuation", 2);
    private final Forecaster forecaster = new Forecaster(continuations);
    /** The inputs each pass got, and the thread that asked for it. */
    private final List<HostTensor> inputs = Collections.synchronizedList(new ArrayList<>());

    private final List<String> callers = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        NamedThreads.shutdown(worker, Duration.ofSeconds(5));
        NamedThreads.shutdown(continuations, Duration.ofSeconds(5));
    }

    /** A forward pass computing {@code perRow} values from each row's window, on the fake worker thread. */
    private ForwardPass pass(Function<float[], float[]> perRow) {
        return in -> {
            callers.add(Thread.currentThread().getName());
            inputs.add(in.get(0));
            return CompletableFuture.supplyAsync(
                    () -> {
                        HostTensor x = in.get(0);
                        int rows = (int) x.dim(0);
                        float[] all = x.toFloatArray();
                        int width = all.length / rows;
                        List<Float> out = new ArrayList<>();
                        for (int r = 0; r < rows; r++) {
                            float[] row = new float[width];
                            System.arraycopy(all, r * width, row, 0, width);
                            for (float v : perRow.apply(row)) {
                                out.add(v);
                            }
                        }
                        float[] values = new float[out.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = out.get(i);
                        }
                        return List.of(HostTensor.ofFloats(new long[] {rows, values.length / rows}, values));
                    },
                    worker);
        };
    }

    /** Next value = last value + 1, in the units the model sees. */
    private ForwardPass lastPlusOne() {
        return pass(row -> new float[] {row[row.length - 1] + 1});
    }

    private static final Scaling NONE = Scaling.none(1);

    private static ForecastModel model(int window, boolean multiHorizon, int modelHorizon, Scaling scaling) {
        return new ForecastModel(
                "m",
                1,
                Layout.legacy(1, 0, scaling),
                new Rollout.Shape(window, multiHorizon, modelHorizon, DataType.FLOAT32, true),
                Fill.LINEAR,
                List.of(Conformal.of(null)),
                Bounds.NONE);
    }

    private static Rollout.Origin history(double... values) {
        double[][] rows = new double[values.length][];
        for (int t = 0; t < values.length; t++) {
            rows[t] = new double[] {values[t]};
        }
        return new Rollout.Origin(new Frame(rows, Frame.NO_FUTURE, null, Frame.NO_STATICS, "s"), values.length);
    }

    private CompletableFuture<Forecaster.Output> forecast(
            ForwardPass pass, ForecastModel model, List<Rollout.Origin> origins, int horizon) {
        return forecaster.forecast(pass, model, origins, Collections.nCopies(origins.size(), "series[0]"), horizon);
    }

    @Test
    void recursionFeedsEachForecastBackAsTheNewestValue() throws Exception {
        Forecaster.Output out = forecast(lastPlusOne(), model(3, false, 1, NONE), List.of(history(1, 2, 3, 4, 5)), 4)
                .get();

        assertThat(out.means()[0][0]).containsExactly(6, 7, 8, 9);
        assertThat(out.passes()).isEqualTo(4);
        assertThat(inputs.get(0).toFloatArray())
                .as("the last window of the history")
                .containsExactly(3, 4, 5);
        assertThat(inputs.get(3).toFloatArray())
                .as("the window after three forecasts")
                .containsExactly(6, 7, 8);
    }

    @Test
    void allSeriesOfOneStepShareOnePass() throws Exception {
        Forecaster.Output out = forecast(
                        lastPlusOne(),
                        model(2, false, 1, NONE),
                        List.of(history(1, 2), history(10, 20, 30), history(-1, -2)),
                        3)
                .get();

        assertThat(out.passes()).as("one pass per step, however many series").isEqualTo(3);
        assertThat(out.means()[0][0]).containsExactly(3, 4, 5);
        assertThat(out.means()[1][0]).containsExactly(31, 32, 33);
        assertThat(out.means()[2][0]).containsExactly(-1, 0, 1);
        assertThat(inputs.get(0).shape()).containsExactly(3, 2, 1);
    }

    @Test
    void theModelSeesScaledValuesAndTheAnswerIsInTheSeriesUnits() throws Exception {
        Scaling scaler = new Scaling(new double[] {10}, new double[] {2});
        Forecaster.Output out = forecast(lastPlusOne(), model(2, false, 1, scaler), List.of(history(12, 14)), 2)
                .get();

        assertThat(inputs.get(0).toFloatArray()).containsExactly(1, 2);
        // +1 in scaled units is +2 in the series' units.
        assertThat(out.means()[0][0][0]).isCloseTo(16, within(1e-6));
        assertThat(out.means()[0][0][1]).isCloseTo(18, within(1e-6));
    }

    @Test
    void aVariableLengthModelGetsWholeHistoriesOnePassPerLength() throws Exception {
        Forecaster.Output out = forecast(
                        pass(row -> new float[] {row.length}),
                        model(0, false, 1, NONE),
                        List.of(history(1, 1), history(1, 1, 1), history(5, 5)),
                        2)
                .get();

        assertThat(out.passes()).as("two lengths, two steps").isEqualTo(4);
        assertThat(out.means()[0][0]).containsExactly(2, 3);
        assertThat(out.means()[1][0]).containsExactly(3, 4);
        assertThat(out.means()[2][0]).containsExactly(2, 3);
    }

    @Test
    void aMultiHorizonModelAnswersInOnePass() throws Exception {
        Forecaster.Output out = forecast(
                        pass(row -> new float[] {1, 2, 3}),
                        model(2, true, 3, NONE),
                        List.of(history(0, 0), history(9, 9)),
                        2)
                .get();

        assertThat(out.passes()).isEqualTo(1);
        assertThat(out.means()[0][0]).containsExactly(1, 2);
        assertThat(out.means()[1][0]).containsExactly(1, 2);
    }

    @Test
    void stepsAfterTheFirstAreBuiltOnContinuationThreadsNeverOnTheWorker() throws Exception {
        forecast(lastPlusOne(), model(3, false, 1, NONE), List.of(history(1, 2, 3)), 6)
                .get();

        assertThat(callers).hasSize(6);
        assertThat(callers).allSatisfy(name -> assertThat(name).startsWith("test-continuation-"));
    }

    @Test
    void aNonFiniteForecastIsTheEnginesFailure() {
        CompletableFuture<Forecaster.Output> out =
                forecast(pass(row -> new float[] {Float.NaN}), model(1, false, 1, NONE), List.of(history(1)), 1);
        assertThatThrownBy(out::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.ENGINE));
    }

    @Test
    void anOutputOfTheWrongSizeBreaksTheModelsContract() {
        CompletableFuture<Forecaster.Output> out =
                forecast(pass(row -> new float[] {1, 2}), model(1, false, 1, NONE), List.of(history(1)), 1);
        assertThatThrownBy(out::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.INTERNAL));
    }
}
