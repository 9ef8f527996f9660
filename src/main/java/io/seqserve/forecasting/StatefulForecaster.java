package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.runtime.HostTensor;
import io.seqserve.series.Rollout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forecasts with models that carry their recurrent state ({@link StateLayout}), over the same {@link Rollout} as
 * every forecast (so the variables, scaling and feedback are those of window models): each origin's values are
 * read in one pass from its state (zeros for a whole history, a live session's own state for new observations),
 * which gives the next step and the state after the last value; a longer horizon feeds each forecast back one step
 * at a time from there, reading only that step. So a forecast costs one pass per step for all series of one length,
 * however long the history, and a live session's observation one step. Exact by construction: reading a history at
 * once or value by value carrying the state is the same recurrence.
 */
final class StatefulForecaster {

    /** Forecasts ({@code [origin][target][step]}), each origin's state after its values, and the passes run. */
    record Run(double[][][] means, List<List<HostTensor>> states, int passes) {}

    private StatefulForecaster() {}

    /**
     * Forecasts {@code horizon} steps from every origin, reading its whole frame up to its end from
     * {@code starts.get(i)} (null, or a null entry: zeros). {@code fields} (null: none) names each origin's series
     * for the 422 when a future covariate it needs was not given.
     */
    static CompletableFuture<Run> forecast(
            ForwardPass passes,
            ForecastModel model,
            List<Rollout.Origin> origins,
            List<List<HostTensor>> starts,
            List<String> fields,
            int horizon,
            Executor continuations) {
        Rollout.Shape s = model.shape();
        Rollout run;
        try {
            run = new Rollout(
                    model.name(),
                    model.layout(),
                    new Rollout.Shape(0, s.multiHorizon(), s.modelHorizon(), s.dtype(), s.featureAxis()),
                    origins,
                    horizon,
                    model.bounds()::clip);
        } catch (Rollout.Unknown e) {
            throw Failure.unprocessable(
                    (fields == null ? "" : fields.get(e.origin()) + ".") + "future",
                    "model '" + model.name() + "' needs " + e.getMessage() + " (value " + e.time()
                            + " counting from the first read): give the covariates' future values in future");
        }
        Steps steps = new Steps(model, run, origins.size(), starts);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int k = 0; k < run.passes(); k++) {
            int step = k;
            chain = chain.thenComposeAsync(ignored -> steps.step(passes, step, continuations), continuations);
        }
        return chain.thenApply(ignored -> new Run(run.means(), steps.read, steps.count.get()));
    }

    private static final class Steps {
        private final ForecastModel model;
        private final StateLayout layout;
        private final Rollout run;
        private final List<List<HostTensor>> starts;
        private final List<List<HostTensor>> read;
        private final List<List<HostTensor>> current;
        private final AtomicInteger count = new AtomicInteger();

        Steps(ForecastModel model, Rollout run, int origins, List<List<HostTensor>> starts) {
            this.model = model;
            this.layout = model.state();
            this.run = run;
            this.starts = starts;
            this.read = new ArrayList<>(Collections.nCopies(origins, null));
            this.current = new ArrayList<>(Collections.nCopies(origins, null));
        }

        /** Step {@code k}: at 0 every origin's values (one pass per length), then only the step fed back. */
        CompletableFuture<Void> step(ForwardPass passes, int k, Executor continuations) {
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (Rollout.Pass pass : run.inputs(k)) {
                HostTensor input = pass.input();
                HostTensor data = k == 0 ? input : input.slice(1, input.dim(1) - 1, 1);
                count.incrementAndGet();
                all.add(passes.run(inputs(data, pass.origins(), k))
                        .thenAcceptAsync(out -> take(pass, k, out), continuations));
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }

        /** The model's inputs in order: the data, and each state slot stacked over the origins on its axis. */
        private List<HostTensor> inputs(HostTensor data, List<Integer> origins, int k) {
            HostTensor[] inputs = new HostTensor[layout.inputs()];
            inputs[layout.dataInput()] = data;
            List<List<HostTensor>> states = new ArrayList<>(origins.size());
            for (int r : origins) {
                List<HostTensor> start = starts == null ? null : starts.get(r);
                states.add(k > 0 ? current.get(r) : start == null ? layout.zeros() : start);
            }
            for (int j = 0; j < layout.slots().size(); j++) {
                List<HostTensor> parts = new ArrayList<>(origins.size());
                for (List<HostTensor> state : states) {
                    parts.add(state.get(j));
                }
                StateLayout.Slot slot = layout.slots().get(j);
                inputs[slot.input()] = HostTensor.concat(parts, slot.axis());
            }
            return List.of(inputs);
        }

        private void take(Rollout.Pass pass, int k, List<HostTensor> outputs) {
            run.take(pass, k, outputs.get(layout.forecastOutput()));
            for (int i = 0; i < pass.origins().size(); i++) {
                int r = pass.origins().get(i);
                List<HostTensor> state = new ArrayList<>(layout.slots().size());
                for (StateLayout.Slot slot : layout.slots()) {
                    HostTensor row = outputs.get(slot.output()).slice(slot.axis(), i, 1);
                    state.add(k == 0 ? row.copy() : row);
                }
                current.set(r, state);
                if (k == 0) {
                    read.set(r, state);
                }
            }
        }
    }
}
