package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.inference.ForwardPass;
import io.seqserve.series.Rollout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs forecasts for many origins at once over a model's worker queue: a {@link Rollout} (the recursion, shared
 * with training) says what each forward pass holds, this class runs the passes. Every pass carries all origins of
 * the same input length as rows of one tensor, so a next-step model forecasting H steps takes H passes however
 * many series there are (one more per extra length when a variable-length model reads whole histories).
 *
 * <p>Step k+1 is built on {@code continuations} once step k's passes are done, never on the worker thread
 * that ran them, so a long forecast does not hold up the other requests of that worker's batches.
 */
@Component
class Forecaster {

    /** Forecasts per origin ({@code [origin][target][step]}, series' units) and the passes they took. */
    record Output(double[][][] means, int passes) {}

    private final Executor continuations;

    @Autowired
    Forecaster(ForecastExecutors executors) {
        this(executors.continuations());
    }

    Forecaster(Executor continuations) {
        this.continuations = continuations;
    }

    /**
     * Forecasts {@code horizon} steps from every origin, each pass run by {@code passes}; {@code fields} names
     * each origin's series in the request, for the 422 when a covariate value it needs was not given.
     */
    CompletableFuture<Output> forecast(
            ForwardPass passes, ForecastModel model, List<Rollout.Origin> origins, List<String> fields, int horizon) {
        Rollout run;
        try {
            run = new Rollout(model.name(), model.layout(), model.shape(), origins, horizon, model.bounds()::clip);
        } catch (Rollout.Unknown e) {
            throw Failure.unprocessable(
                    fields.get(e.origin()) + ".future",
                    "model '" + model.name() + "' needs " + e.getMessage() + " (value " + e.time()
                            + " counting from the first of the series): give the covariates' future values in future");
        }
        AtomicInteger count = new AtomicInteger();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int k = 0; k < run.passes(); k++) {
            int step = k;
            chain = chain.thenComposeAsync(ignored -> step(passes, run, step, count), continuations);
        }
        return chain.thenApplyAsync(ignored -> new Output(run.means(), count.get()), continuations);
    }

    /** One forward pass per input length (just one for fixed-window models), all rows of that length in it. */
    private CompletableFuture<Void> step(ForwardPass forward, Rollout run, int k, AtomicInteger count) {
        List<CompletableFuture<?>> passesOfStep = new ArrayList<>();
        for (Rollout.Pass pass : run.inputs(k)) {
            count.incrementAndGet();
            passesOfStep.add(forward.run(List.of(pass.input()))
                    .thenAcceptAsync(outputs -> run.take(pass, k, outputs.get(0)), continuations));
        }
        return CompletableFuture.allOf(passesOfStep.toArray(CompletableFuture[]::new));
    }
}
