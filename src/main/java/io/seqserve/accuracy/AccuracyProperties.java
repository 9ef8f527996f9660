package io.seqserve.accuracy;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Forecast accuracy from actuals ({@code seqserve.accuracy.*}); the log lives under
 * {@code <seqserve.data.dir>/accuracy/}.
 *
 * @param levels interval levels (percent) logged with every forecast of a calibrated model and scored for
 *     coverage, whatever levels the request asked for; also the {@code level} tag values of the metrics
 * @param log the forecast log on disk
 * @param maxLateness actuals for a forecast made longer ago than this are counted {@code late} and not scored
 * @param bucket the time resolution of the accuracy history (the console's chart, {@code over_time})
 * @param history how long the accuracy history is kept (at most what the log retains)
 * @param window the rolling window {@code GET /v1/models/{name}/accuracy} reports by default
 * @param steps horizon steps scored and tagged one by one; later steps are pooled under {@code steps + 1}
 * @param maxActualsPerRequest actual values (rows) one {@code :actuals} request may carry (413 beyond)
 * @param maxConcurrentActuals {@code :actuals} requests read at once; more are answered 429 with Retry-After
 * @param minPoints scored points a candidate needs before an online comparison decides (the default of
 *     {@code :promote}'s {@code online.min_points} and of a training job's {@code publish.min_points})
 */
@ConfigurationProperties("seqserve.accuracy")
public record AccuracyProperties(
        @DefaultValue({"80", "95"}) List<Double> levels,
        @DefaultValue Log log,
        @DefaultValue("2d") Duration maxLateness,
        @DefaultValue("5m") Duration bucket,
        @DefaultValue("24h") Duration history,
        @DefaultValue("1h") Duration window,
        @DefaultValue("12") int steps,
        @DefaultValue("100000") int maxActualsPerRequest,
        @DefaultValue("4") int maxConcurrentActuals,
        @DefaultValue("100") int minPoints) {

    /**
     * @param maxAge segments whose newest entry is older than this are deleted
     * @param maxSize the log's size on disk; the oldest segments are deleted beyond it (the in-memory index of
     *     forecasts, which holds what the log holds, is bounded by it too)
     * @param segmentSize a segment is closed and a new one started beyond this size
     * @param fsyncInterval written entries are forced to disk at least this often (a crash loses at most this
     *     much; a process that is killed loses nothing written)
     * @param maxPending entries waiting for the writer; beyond, forecasts are not logged (counted) and actuals
     *     are answered 429
     */
    public record Log(
            @DefaultValue("7d") Duration maxAge,
            @DefaultValue("256MB") DataSize maxSize,
            @DefaultValue("16MB") DataSize segmentSize,
            @DefaultValue("1s") Duration fsyncInterval,
            @DefaultValue("32MB") DataSize maxPending) {

        public Log {
            if (!AccuracyProperties.positive(maxAge) || !AccuracyProperties.positive(fsyncInterval)) {
                throw new IllegalArgumentException("seqserve.accuracy.log max-age and fsync-interval must be positive");
            }
            if (maxSize.toBytes() < 1 || segmentSize.toBytes() < 1 || maxPending.toBytes() < 1) {
                throw new IllegalArgumentException("seqserve.accuracy.log sizes must be positive");
            }
        }
    }

    public AccuracyProperties {
        levels = List.copyOf(levels);
        if (levels.isEmpty() || levels.size() > 10 || levels.stream().anyMatch(l -> !(l > 0 && l < 100))) {
            throw new IllegalArgumentException(
                    "seqserve.accuracy.levels: 1 to 10 percentages strictly between 0 and 100");
        }
        if (!positive(bucket) || !positive(history) || !positive(window) || !positive(maxLateness)) {
            throw new IllegalArgumentException("seqserve.accuracy durations must be positive");
        }
        if (steps < 1 || steps > 1000 || maxActualsPerRequest < 1 || maxConcurrentActuals < 1 || minPoints < 1) {
            throw new IllegalArgumentException(
                    "seqserve.accuracy: steps (1..1000), max-actuals-per-request, max-concurrent-actuals and "
                            + "min-points must be >= 1");
        }
    }

    static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
