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
        try {
            recorder.record(new ForecastRecorder.Recorded(
                    forecastId, model.name(), model.version(), leg.route(), created, horizon, series));
        } catch (RuntimeException e) {
            // Monitoring must never fail a forecast that was computed; the recorder counts what it drops.
            log.warn("forecast {} of {} was not recorded: {}", forecastId, model.name(), e.toString());
        }
    }
}
