package io.seqserve.training.task;

import ai.djl.ndarray.types.DataType;
import io.seqserve.runtime.HostTensor;
import io.seqserve.series.Layout;
import io.seqserve.series.Rollout;
import io.seqserve.training.nn.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Forecasts of a trained model from many origins, each as far as its data allows: the same {@link Rollout} that
 * serving drives over worker queues, driven here pass by pass over the trained block. A next-step model is rolled
 * forward feeding its own forecasts back (the future covariates come from the data: they are known).
 */
final class Evaluation {

    private static final int CHUNK = 4096;

    private final TrainedModel model;
    private final Layout layout;
    private final Rollout.Shape shape;

    Evaluation(TrainedModel model, Layout layout, int window, int modelHorizon) {
        this.model = model;
        this.layout = layout;
        this.shape = new Rollout.Shape(window, modelHorizon > 1, modelHorizon, DataType.FLOAT32, true);
    }

    /** The model's output for many rows, run {@value #CHUNK} rows at a time. */
    private HostTensor predict(HostTensor input) {
        long n = input.dim(0);
        if (n <= CHUNK) {
            return model.predict(input);
        }
        List<HostTensor> parts = new ArrayList<>();
        for (long from = 0; from < n; from += CHUNK) {
            parts.add(model.predict(input.rows(from, Math.min(CHUNK, n - from))));
        }
        return HostTensor.concat(parts);
    }

    /** Forecasts {@code [origin][target][step]} of {@code horizons[i]} steps from origin i (origins of one horizon share passes). */
    double[][][] forecast(List<Rollout.Origin> origins, int[] horizons) {
        double[][][] out = new double[origins.size()][][];
        Map<Integer, List<Integer>> byHorizon = new TreeMap<>();
        for (int i = 0; i < origins.size(); i++) {
            byHorizon.computeIfAbsent(horizons[i], h -> new ArrayList<>()).add(i);
        }
        byHorizon.forEach((horizon, members) -> {
            List<Rollout.Origin> group = members.stream().map(origins::get).toList();
            Rollout run = new Rollout("trained", layout, shape, group, horizon);
            for (int k = 0; k < run.passes(); k++) {
                for (Rollout.Pass pass : run.inputs(k)) {
                    run.take(pass, k, predict(pass.input()));
                }
            }
            for (int m = 0; m < members.size(); m++) {
                out[members.get(m)] = run.means()[m];
            }
        });
        return out;
    }
}
