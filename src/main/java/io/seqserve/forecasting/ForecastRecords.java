package io.seqserve.forecasting;

import io.seqserve.series.Timeline;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Hands each leg of an answered forecast to the {@link ForecastRecorder} (none when the context has no
 * accuracy monitoring): per series, where the forecast starts, its means, the last value of each target (the
 * naive forecast) and the residuals of its intervals.
 */
@Component
class ForecastRecords {

    /** Targets of models that do not name their one target are recorded under this name. */
    static final String UNNAMED_TARGET = "value";

    private static final Logger log = LoggerFactory.getLogger(ForecastRecords.class);

    private final ForecastRecorder recorder;

    ForecastRecords(ObjectProvider<ForecastRecorder> recorder) {
        this.recorder = recorder.getIfAvailable(() -> ForecastRecorder.NONE);
    }

    void record(String forecastId, ForecastLegs.Leg leg, int horizon, Instant created) {
        ForecastModel model = leg.model();
        List<ForecastRecorder.SeriesRecord> series = new ArrayList<>();
        for (int i = 0; i < leg.ready().size(); i++) {
            Series s = leg.ready().get(i);
            List<ForecastRecorder.TargetRecord> targets = new ArrayList<>();
            for (int j = 0; j < model.layout().targetCount(); j++) {
                String name = model.targetName(j);
                targets.add(new ForecastRecorder.TargetRecord(
                        name == null ? UNNAMED_TARGET : name,
                        model.bounds().clip(leg.out().means()[i][j]), // scored as served
                        s.rows()[s.length() - 1][model.layout().targetColumn(j)],
                        model.conformal().get(j)));
            }
            String frequency = model.layout().frequency();
            LocalDateTime originTime =
                    s.start() == null || frequency == null ? null : new Timeline(s.start(), frequency).at(s.length());
            series.add(new ForecastRecorder.SeriesRecord(s.id(), s.length(), originTime, frequency, targets));
        }
        send(new ForecastRecorder.Recorded(
                forecastId, model.name(), model.version(), leg.route(), created, horizon, series));
    }

    /**
     * A live session's forecast ({@code means[target][step]}), route {@code session}: its series is the session id
     * (logged, never a metric tag) and its first value is the session's value number {@code observations}, counting
     * the session's first observation (its history included) as 0.
     */
    void recordSession(
            String forecastId,
            ForecastModel model,
            String session,
            long observations,
            double[][] means,
            double[] last) {
        List<ForecastRecorder.TargetRecord> targets = new ArrayList<>();
        for (int j = 0; j < means.length; j++) {
            String name = model.targetName(j);
            targets.add(new ForecastRecorder.TargetRecord(
                    name == null ? UNNAMED_TARGET : name,
                    model.bounds().clip(means[j]),
                    last[j],
                    model.conformal().get(j)));
        }
        int origin = (int) Math.min(observations, Integer.MAX_VALUE);
        ForecastRecorder.SeriesRecord series = new ForecastRecorder.SeriesRecord(
                session, origin, null, model.layout().frequency(), targets);
        send(new ForecastRecorder.Recorded(
                forecastId, model.name(), model.version(), "session", Instant.now(), means[0].length, List.of(series)));
    }

    /** Each target's value in {@code row} (the newest observation: the naive forecast a forecast is scored against). */
    static double[] targets(ForecastModel model, double[] row) {
        double[] last = new double[model.layout().targetCount()];
        for (int j = 0; j < last.length; j++) {
            last[j] = row[model.layout().targetColumn(j)];
        }
        return last;
    }

    private void send(ForecastRecorder.Recorded forecast) {
        try {
            recorder.record(forecast);
        } catch (RuntimeException e) {
            // Monitoring must never fail a forecast that was computed; the recorder counts what it drops.
            log.warn("forecast {} of {} was not recorded: {}", forecast.forecastId(), forecast.model(), e.toString());
        }
    }
}
