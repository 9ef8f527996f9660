package io.seqserve.accuracy;

import io.seqserve.Failure;
import io.seqserve.forecasting.ForecastRecorder;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.series.Conformal;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Keeps forecasts and scores them against actuals: every forecast (each version's part, shadows included) goes
 * into the {@link ForecastIndex} and the {@link ForecastLog}; {@code :actuals} are matched, scored into each
 * model's {@link Scoreboard} and the metrics, and logged too. At start the log is replayed in order, so the
 * index and the scores are what they were before a restart or a crash (less what the last {@code fsync-interval}
 * had not forced to disk, after a crash of the machine).
 */
@Service
class AccuracyService implements ForecastRecorder {

    /** What an {@code :actuals} request did: rows by outcome, and the (forecast, target, step) points scored. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "ActualsResult")
    record Result(String model, long rows, long matched, long duplicate, long late, long unmatched, long scored) {}

    private static final Logger log = LoggerFactory.getLogger(AccuracyService.class);

    private final AccuracyProperties properties;
    private final AccuracyMetrics metrics;
    private final ModelRegistry registry;
    private final ForecastIndex index;
    private final Path dir;
    private final Semaphore readers;
    private ForecastLog forecastLog;

    AccuracyService(
            AccuracyProperties properties,
            AccuracyMetrics metrics,
            ModelRegistry registry,
            @Value("${seqserve.data.dir:data}") Path dataDir) {
        this.properties = properties;
        this.metrics = metrics;
        this.registry = registry;
        this.index = new ForecastIndex(properties);
        this.dir = dataDir.toAbsolutePath().normalize().resolve("accuracy").resolve("log");
        this.readers = new Semaphore(properties.maxConcurrentActuals());
    }

    @PostConstruct
    void open() throws IOException {
        long start = System.nanoTime();
        forecastLog = new ForecastLog(dir, properties.log(), this::replay, index::forget);
        index.expire();
        index.books().forEach(book -> metrics.lastActual(book.model, book::lastActual));
        metrics.log(forecastLog::sizeOnDisk, index::size);
        LogSegments.Recovery r = forecastLog.recovery();
        log.info(
                "forecast log {}: {} entries replayed in {} ms ({} corrupt lines skipped, {} torn bytes cut), "
                        + "{} forecasts held",
                dir,
                r.entries(),
                (System.nanoTime() - start) / 1_000_000,
                r.corrupt(),
                r.tornBytes(),
                index.size());
    }

    @PreDestroy
    void close() {
        forecastLog.close();
    }

    private void replay(LogEntry entry) {
        ModelBook book = index.book(entry.model());
        if (entry instanceof LogEntry.Forecast f) {
            Logged logged = new Logged(book, f, properties.levels());
            book.add(logged);
            index.track(logged, false);
        } else {
            book.apply((LogEntry.Actual) entry, point -> {});
        }
    }

    // ---- forecasts -------------------------------------------------------------------------------

    @Override
    public void record(Recorded forecast) {
        ModelBook book = index.book(forecast.model());
        for (SeriesRecord s : forecast.series()) {
            LogEntry.Forecast entry = new LogEntry.Forecast(
                    forecast.forecastId(),
                    forecast.model(),
                    forecast.version(),
                    forecast.route(),
                    forecast.created().toEpochMilli(),
                    forecast.horizon(),
                    s.id(),
                    s.originStep(),
                    s.originTime() == null ? null : s.originTime().toString(),
                    s.frequency(),
                    properties.levels(),
                    s.targets().stream().map(this::target).toList());
            Logged logged = new Logged(book, entry, properties.levels());
            // Under the book's lock, so the log has forecasts and actuals of a model in the order they were applied.
            synchronized (book) {
                book.add(logged);
                if (!forecastLog.append(entry)) {
                    metrics.dropped("forecast");
                }
            }
            index.track(logged, true);
        }
    }

    /** The target's means and its bounds at the logged levels (none without residuals). */
    private LogEntry.Target target(TargetRecord t) {
        int h = t.mean().length;
        float[] mean = new float[h];
        for (int k = 0; k < h; k++) {
            mean[k] = (float) t.mean()[k];
        }
        Conformal conformal = t.conformal();
        if (conformal == null || conformal.isEmpty()) {
            return new LogEntry.Target(t.name(), mean, t.last(), null, null);
        }
        List<Double> levels = properties.levels();
        Float[][] lower = new Float[levels.size()][h];
        Float[][] upper = new Float[levels.size()][h];
        for (int l = 0; l < levels.size(); l++) {
            for (int k = 0; k < h; k++) {
                Conformal.HalfWidth w = conformal.halfWidth(k + 1, levels.get(l));
                if (w != null) {
                    lower[l][k] = (float) (t.mean()[k] - w.width());
                    upper[l][k] = (float) (t.mean()[k] + w.width());
                }
            }
        }
        return new LogEntry.Target(t.name(), mean, t.last(), lower, upper);
    }

    // ---- actuals ---------------------------------------------------------------------------------

    /**
     * Reads an {@code :actuals} body ({@code body} parses it; only {@code max-concurrent-actuals} are read at once,
     * 429 beyond) and scores it. 404 for a model the registry does not hold; 429 when the log cannot take more.
     */
    Result ingest(String model, Supplier<ActualsRequest> body) {
        if (!registry.has(model)) {
            throw Failure.notFound("no model named '" + model + "'");
        }
        if (!readers.tryAcquire()) {
            throw Failure.capacity("too many :actuals requests at once; retry shortly", 1);
        }
        try {
            List<LogEntry.Actual> entries =
                    body.get().entries(model, System.currentTimeMillis(), properties.maxActualsPerRequest());
            if (!forecastLog.hasRoom(entries.size() * 64L)) {
                throw Failure.capacity("the forecast log is behind; retry shortly", 1);
            }
            ModelBook book = index.book(model);
            metrics.lastActual(model, book::lastActual);
            long[] counts = new long[ModelBook.Outcome.values().length];
            long[] scored = {0};
            for (LogEntry.Actual entry : entries) {
                synchronized (book) {
                    long[] c = book.apply(entry, point -> {
                        scored[0]++;
                        metrics.scored(model, point);
                    });
                    for (int o = 0; o < counts.length; o++) {
                        counts[o] += c[o];
                    }
                    if (!forecastLog.append(entry)) {
                        metrics.dropped("actual");
                    }
                }
            }
            metrics.actuals(model, counts);
            long rows = java.util.Arrays.stream(counts).sum();
            return new Result(
                    model,
                    rows,
                    counts[ModelBook.Outcome.MATCHED.ordinal()],
                    counts[ModelBook.Outcome.DUPLICATE.ordinal()],
                    counts[ModelBook.Outcome.LATE.ordinal()],
                    counts[ModelBook.Outcome.UNMATCHED.ordinal()],
                    scored[0]);
        } finally {
            readers.release();
        }
    }

    // ---- reads -----------------------------------------------------------------------------------

    ForecastIndex index() {
        return index;
    }

    /** Completes when every entry so far is on disk (tests, and a shutdown that must lose nothing). */
    CompletableFuture<Void> flush() {
        return forecastLog.flush();
    }
}
