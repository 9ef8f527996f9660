package io.seqserve.forecasting;

import io.seqserve.live.LiveState;
import io.seqserve.live.LiveTensors;
import io.seqserve.runtime.HostTensor;
import io.seqserve.series.Conformal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A forecasting session: what it has seen ({@code observations}), what it carries to the next step (the model's
 * state for a stateful model, the last window of values for a window model), what it answers with (horizon,
 * levels) and its current forecast per target ({@code means[target][step]}, null until the model has enough
 * history; {@code targets} their names, null for a model whose one target is unnamed). {@code forecastId} names the
 * current forecast in the accuracy log; {@code last} is each target's last observed value (the naive forecast).
 */
record ForecastSessionState(
        int horizon,
        List<Double> levels,
        long observations,
        List<HostTensor> state,
        double[][] window,
        List<String> targets,
        double[][] means,
        List<Map<String, Conformal.Band>> intervals,
        List<String> warnings,
        String forecastId,
        double[] last)
        implements LiveState {

    @Override
    public long bytes() {
        long bytes = 256 + (means == null ? 0 : 8L * means.length * horizon * (1 + 2L * levels.size()));
        for (HostTensor t : state) {
            bytes += t.bytes();
        }
        if (window != null) {
            bytes += (long) window.length * (16 + 8L * (window.length == 0 ? 0 : window[0].length));
        }
        return bytes;
    }

    /** As a snapshot stores it: tensors as raw bytes, everything else as it is. */
    record Stored(
            int horizon,
            List<Double> levels,
            long observations,
            List<JsonNode> state,
            double[][] window,
            List<String> targets,
            double[][] means,
            List<Map<String, Conformal.Band>> intervals,
            List<String> warnings,
            String forecastId,
            double[] last) {

        static Stored of(ForecastSessionState s) {
            return new Stored(
                    s.horizon,
                    s.levels,
                    s.observations,
                    s.state.stream().map(LiveTensors::encode).toList(),
                    s.window,
                    s.targets,
                    s.means,
                    s.intervals,
                    s.warnings,
                    s.forecastId,
                    s.last);
        }

        ForecastSessionState restore() {
            List<HostTensor> tensors = new ArrayList<>();
            state.forEach(t -> tensors.add(LiveTensors.decode(t)));
            return new ForecastSessionState(
                    horizon,
                    levels,
                    observations,
                    tensors,
                    window,
                    targets,
                    means,
                    intervals,
                    warnings == null ? List.of() : warnings,
                    forecastId,
                    last);
        }
    }
}
