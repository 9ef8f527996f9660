package io.seqserve.forecasting;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.runtime.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs forecasts for many histories at once: every forward pass carries all histories of the same input
 * length as rows of one tensor, so a next-step model forecasting H steps takes H passes however many
 * series there are (one more per extra length when a variable-length model reads whole histories).
 * Recursion feeds each step's forecast back as the newest value.
 *
 * <p>Step k+1 is built on {@code continuations} once step k's passes are done, never on the worker thread
 * that ran them, so a long forecast does not hold up the other requests of that worker's batches.
 */
@Component
class Forecaster {

    /** The filled series {@code rows[0, end)} to forecast from, in the series' units. */
    record History(double[][] rows, int end) {}

    /** Forecasts per history ({@code [history][step]}, series' units) and the passes they took. */
    record Output(double[][] means, int passes) {}

    private final Executor continuations;

    @Autowired
    Forecaster(ForecastExecutors executors) {
        this(executors.continuations());
    }

    Forecaster(Executor continuations) {
        this.continuations = continuations;
    }

    /** Forecasts {@code horizon} steps for every history, each pass run by {@code passes}. */
    CompletableFuture<Output> forecast(ForwardPass passes, ForecastModel model, List<History> histories, int horizon) {
        Run run = new Run(model, histories, horizon);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int k = 0; k < model.steps(horizon); k++) {
            int step = k;
            chain = chain.thenComposeAsync(ignored -> run.step(passes, step), continuations);
        }
        return chain.thenApplyAsync(ignored -> new Output(run.means, run.passes.get()), continuations);
    }

    /** The state of one forecast: scaled inputs that grow by one forecast per step. */
    private final class Run {
        private final ForecastModel model;
        private final int horizon;
        private final double[][][] scaled;
        private final int[] start;
        private final double[][] means;
        private final AtomicInteger passes = new AtomicInteger();

        Run(ForecastModel model, List<History> histories, int horizon) {
            this.model = model;
            this.horizon = horizon;
            int n = histories.size();
            this.scaled = new double[n][][];
            this.start = new int[n];
            this.means = new double[n][horizon];
            int grow = model.steps(horizon) - 1;
            for (int r = 0; r < n; r++) {
                History h = histories.get(r);
                int from = model.window() > 0 ? h.end() - model.window() : 0;
                scaled[r] = new double[h.end() - from + grow][model.features()];
                for (int t = from; t < h.end(); t++) {
                    for (int f = 0; f < model.features(); f++) {
                        scaled[r][t - from][f] = model.scaler().scale(f, h.rows()[t][f]);
                    }
                }
                start[r] = h.end() - from;
            }
        }

        /** One forward pass per input length (just one for fixed-window models), all rows of that length in it. */
        CompletableFuture<Void> step(ForwardPass forward, int k) {
            Map<Integer, List<Integer>> byLength = new TreeMap<>();
            for (int r = 0; r < scaled.length; r++) {
                byLength.computeIfAbsent(model.window() > 0 ? model.window() : start[r] + k, l -> new ArrayList<>())
                        .add(r);
            }
            List<CompletableFuture<?>> passesOfStep = new ArrayList<>();
            byLength.forEach((length, rows) -> {
                HostTensor input = tensor(rows, k, length);
                passes.incrementAndGet();
                passesOfStep.add(forward.run(List.of(input))
                        .thenAcceptAsync(outputs -> take(rows, k, outputs.get(0)), continuations));
            });
            return CompletableFuture.allOf(passesOfStep.toArray(CompletableFuture[]::new));
        }

        private HostTensor tensor(List<Integer> rows, int k, int length) {
            int f = model.features();
            boolean doubles = model.dtype() == DataType.FLOAT64;
            ByteBuffer buffer = ByteBuffer.allocateDirect(rows.size() * length * f * (doubles ? 8 : 4))
                    .order(ByteOrder.nativeOrder());
            for (int r : rows) {
                int from = start[r] + k - length;
                for (int t = from; t < from + length; t++) {
                    for (double value : scaled[r][t]) {
                        if (doubles) {
                            buffer.putDouble(value);
                        } else {
                            buffer.putFloat((float) value);
                        }
                    }
                }
            }
            buffer.flip();
            long[] shape = model.featureAxis() ? new long[] {rows.size(), length, f} : new long[] {rows.size(), length};
            return new HostTensor(model.dtype(), shape, buffer);
        }

        private void take(List<Integer> rows, int k, HostTensor output) {
            long perRow = output.size() / rows.size();
            boolean fits = output.size() == perRow * rows.size()
                    && (model.multiHorizon()
                            ? perRow >= horizon && (model.modelHorizon() == 0 || perRow == model.modelHorizon())
                            : perRow == 1);
            if (!fits) {
                // The output shape was checked at load, so this model breaks its own contract: not the caller's fault.
                throw Failure.internal("model '" + model.name() + "' returned " + output.size() + " values for "
                        + rows.size() + " rows; expected " + (model.multiHorizon() ? "at least " + horizon : "1")
                        + " per row");
            }
            for (int i = 0; i < rows.size(); i++) {
                int r = rows.get(i);
                for (int j = 0; j < (model.multiHorizon() ? horizon : 1); j++) {
                    double value = output.getDouble(i * perRow + j);
                    if (!Double.isFinite(value)) {
                        throw Failure.engine(
                                "model '" + model.name() + "' produced a non-finite forecast from finite inputs", null);
                    }
                    double mean = model.bounds().clip(model.scaler().unscale(model.targetIndex(), value));
                    means[r][model.multiHorizon() ? j : k] = mean;
                    if (!model.multiHorizon() && start[r] + k < scaled[r].length) {
                        // the next step reads the forecast as clipped, as it would read an observation
                        scaled[r][start[r] + k][model.targetIndex()] =
                                model.bounds().isNone() ? value : model.scaler().scale(model.targetIndex(), mean);
                    }
                }
            }
        }
    }
}
