package io.seqserve.forecasting;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.runtime.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Forecasts with models that carry their recurrent state ({@link StateLayout}): each series' new values are
 * read in one pass from its state (zeros for a whole history, a live session's own state for new observations),
 * which gives the next value and the state after the last value; a longer horizon feeds each forecast back one
 * step at a time from there. So a forecast costs one pass per horizon step for all series together, however long
 * the history, and a live session's observation costs one step. Exact by construction: reading a history at
 * once or value by value carrying the state is the same recurrence.
 */
final class StatefulForecaster {

    /** Values to read ({@code rows[t][f]}, the series' units, at least one) from {@code state} (null: zeros). */
    record Start(double[][] rows, List<HostTensor> state) {}

    /** The forecast ({@code horizon} steps, series' units) and the state after the values read (before the forecast). */
    record Result(double[] mean, List<HostTensor> state) {}

    private StatefulForecaster() {}

    /** Forecasts {@code horizon} steps from each start; {@code passes} runs the forward passes. */
    static CompletableFuture<List<Result>> forecast(
            ForwardPass passes, ForecastModel model, List<Start> starts, int horizon, Executor continuations) {
        Run run = new Run(model, starts, horizon);
        CompletableFuture<Void> chain = run.read(passes, continuations);
        for (int k = 1; k < model.steps(horizon); k++) {
            int step = k;
            chain = chain.thenComposeAsync(ignored -> run.roll(passes, step, continuations), continuations);
        }
        return chain.thenApply(ignored -> run.results());
    }

    private static final class Run {
        private final ForecastModel model;
        private final StateLayout layout;
        private final List<Start> starts;
        private final int horizon;
        private final double[][] means;
        private final List<List<HostTensor>> read;
        private final List<List<HostTensor>> current;
        private final double[] last;

        Run(ForecastModel model, List<Start> starts, int horizon) {
            this.model = model;
            this.layout = model.state();
            this.starts = starts;
            this.horizon = horizon;
            int n = starts.size();
            this.means = new double[n][horizon];
            this.read = new ArrayList<>(Collections.nCopies(n, null));
            this.current = new ArrayList<>(Collections.nCopies(n, null));
            this.last = new double[n];
        }

        /** One pass per length of new values, every series of that length in it. */
        CompletableFuture<Void> read(ForwardPass passes, Executor continuations) {
            Map<Integer, List<Integer>> byLength = new TreeMap<>();
            for (int r = 0; r < starts.size(); r++) {
                byLength.computeIfAbsent(starts.get(r).rows().length, l -> new ArrayList<>())
                        .add(r);
            }
            List<CompletableFuture<?>> all = new ArrayList<>();
            byLength.forEach((length, rows) -> {
                List<HostTensor> states = new ArrayList<>();
                for (int r : rows) {
                    List<HostTensor> s = starts.get(r).state();
                    states.addAll(s == null ? layout.zeros() : s);
                }
                HostTensor data = data(
                        rows.size(),
                        length,
                        (i, t, f) ->
                                model.scaler().scale(f, starts.get(rows.get(i)).rows()[t][f]));
                all.add(passes.run(inputs(data, states, rows.size()))
                        .thenAcceptAsync(out -> take(rows, out, 0, true), continuations));
            });
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }

        /** Step {@code k}: every series' forecast k-1 fed back from its state, one pass for all. */
        CompletableFuture<Void> roll(ForwardPass passes, int k, Executor continuations) {
            List<Integer> rows = new ArrayList<>();
            List<HostTensor> states = new ArrayList<>();
            for (int r = 0; r < starts.size(); r++) {
                rows.add(r);
                states.addAll(current.get(r));
            }
            HostTensor data = data(rows.size(), 1, (i, t, f) -> f == model.targetIndex() ? last[rows.get(i)] : 0);
            return passes.run(inputs(data, states, rows.size()))
                    .thenAcceptAsync(out -> take(rows, out, k, false), continuations);
        }

        List<Result> results() {
            List<Result> out = new ArrayList<>(starts.size());
            for (int r = 0; r < starts.size(); r++) {
                out.add(new Result(means[r], read.get(r)));
            }
            return out;
        }

        /** The model's inputs in order: the data, and each state slot stacked over the rows on its axis. */
        private List<HostTensor> inputs(HostTensor data, List<HostTensor> perRowStates, int rows) {
            HostTensor[] inputs = new HostTensor[layout.inputs()];
            inputs[layout.dataInput()] = data;
            int slots = layout.slots().size();
            for (int j = 0; j < slots; j++) {
                List<HostTensor> parts = new ArrayList<>(rows);
                for (int i = 0; i < rows; i++) {
                    parts.add(perRowStates.get(i * slots + j));
                }
                StateLayout.Slot slot = layout.slots().get(j);
                inputs[slot.input()] = HostTensor.concat(parts, slot.axis());
            }
            return List.of(inputs);
        }

        private void take(List<Integer> rows, List<HostTensor> outputs, int k, boolean first) {
            HostTensor forecast = outputs.get(layout.forecastOutput());
            long perRow = forecast.size() / rows.size();
            boolean fits =
                    forecast.size() == perRow * rows.size() && (model.multiHorizon() ? perRow >= horizon : perRow == 1);
            if (!fits) {
                throw Failure.internal("model '" + model.name() + "' returned " + forecast.size() + " values for "
                        + rows.size() + " rows; expected " + (model.multiHorizon() ? "at least " + horizon : "1")
                        + " per row");
            }
            for (int i = 0; i < rows.size(); i++) {
                int r = rows.get(i);
                for (int j = 0; j < (model.multiHorizon() ? horizon : 1); j++) {
                    double value = forecast.getDouble(i * perRow + j);
                    if (!Double.isFinite(value)) {
                        throw Failure.engine(
                                "model '" + model.name() + "' produced a non-finite forecast from finite inputs", null);
                    }
                    means[r][model.multiHorizon() ? j : k] = model.scaler().unscale(model.targetIndex(), value);
                    last[r] = value;
                }
                List<HostTensor> state = new ArrayList<>(layout.slots().size());
                for (StateLayout.Slot slot : layout.slots()) {
                    HostTensor row = outputs.get(slot.output()).slice(slot.axis(), i, 1);
                    state.add(first ? row.copy() : row);
                }
                current.set(r, state);
                if (first) {
                    read.set(r, state);
                }
            }
        }

        private interface Value {
            double at(int row, int t, int f);
        }

        private HostTensor data(int rows, int length, Value value) {
            int f = model.features();
            boolean doubles = model.dtype() == DataType.FLOAT64;
            ByteBuffer buffer = ByteBuffer.allocateDirect(rows * length * f * (doubles ? 8 : 4))
                    .order(ByteOrder.nativeOrder());
            for (int i = 0; i < rows; i++) {
                for (int t = 0; t < length; t++) {
                    for (int j = 0; j < f; j++) {
                        double v = value.at(i, t, j);
                        if (doubles) {
                            buffer.putDouble(v);
                        } else {
                            buffer.putFloat((float) v);
                        }
                    }
                }
            }
            buffer.flip();
            long[] shape = model.featureAxis() ? new long[] {rows, length, f} : new long[] {rows, length};
            return new HostTensor(model.dtype(), shape, buffer);
        }
    }
}
