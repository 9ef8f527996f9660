package io.seqserve.forecasting;

import io.seqserve.series.Conformal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Takes every answered forecast so that it can be scored when the actuals come in (the {@code accuracy}
 * package keeps them). Called on a forecast continuation thread once a forecast is done, for each version
 * that made part of it (production, a canary, a shadow): it must only hand the record over, never block.
 */
public interface ForecastRecorder {

    /** Records nothing (no accuracy monitoring in the context). */
    ForecastRecorder NONE = forecast -> {};

    void record(Recorded forecast);

    /**
     * One version's part of a forecast: {@code route} is {@code production} (the bare name's version),
     * {@code canary}, {@code shadow} (a copy, not answered) or {@code direct} (a version or label named).
     */
    record Recorded(
            String forecastId,
            String model,
            long version,
            String route,
            Instant created,
            int horizon,
            List<SeriesRecord> series) {}

    /**
     * One series: its first forecast value is the series' value number {@code originStep} (counting the request's
     * first value as 0), at {@code originTime} when the request gave {@code start} and the model a frequency.
     */
    record SeriesRecord(
            String id, int originStep, LocalDateTime originTime, String frequency, List<TargetRecord> targets) {}

    /**
     * One target: the forecast, the last value before it (the naive forecast scored against the same actuals)
     * and the conformal residuals its intervals come from (empty when the model has none).
     */
    record TargetRecord(String name, double[] mean, double last, Conformal conformal) {}
}
