package io.seqserve.accuracy;

import io.seqserve.runtime.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast log: entries are queued by the threads that produce them (bounded by bytes, so a writer that
 * falls behind refuses entries instead of filling the heap) and written by one thread,
 * {@code accuracy-log-writer-1}, in queue order, each batch at once (so a killed process loses nothing written),
 * forced to disk at least every {@code fsync-interval}. Segments roll by size and age; the oldest are deleted by
 * {@code max-size} and {@code max-age}, and {@code forgotten} hears up to when entries were deleted.
 */
final class ForecastLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ForecastLog.class);
    private static final Object STOP = new Object();
    private static final long RETENTION_EVERY_MILLIS = 10_000;

    private final LogSegments segments;
    private final AccuracyProperties.Log settings;
    private final LongConsumer forgotten;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final ExecutorService writer = NamedThreads.fixed("accuracy-log-writer", 1);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile long size;
    private volatile boolean failed;

    /** Opens the log in {@code dir}, replays every entry into {@code replay}, then starts the writer. */
    ForecastLog(Path dir, AccuracyProperties.Log settings, Consumer<LogEntry> replay, LongConsumer forgotten)
            throws IOException {
        this.segments = LogSegments.open(dir, replay);
        this.settings = settings;
        this.forgotten = forgotten;
        this.size = segments.size();
        writer.execute(this::write);
    }

    LogSegments.Recovery recovery() {
        return segments.recovery();
    }

    /** Queues an entry; false when the queue is full (the caller counts or refuses) or the log has failed. */
    boolean append(LogEntry entry) {
        byte[] line = LogEntry.encode(entry);
        if (failed || pending.addAndGet(line.length) > settings.maxPending().toBytes()) {
            pending.addAndGet(-line.length);
            return false;
        }
        queue.add(line);
        return true;
    }

    /** True while the writer can take about {@code bytes} more. */
    boolean hasRoom(long bytes) {
        return !failed && pending.get() + bytes <= settings.maxPending().toBytes();
    }

    /** Completes when everything queued before it is written and forced to disk. */
    CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(done);
        return done;
    }

    long sizeOnDisk() {
        return size;
    }

    private void write() {
        long lastForce = System.nanoTime();
        long lastRetention = 0;
        boolean dirty = false;
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                Object first = queue.poll(settings.fsyncInterval().toNanos(), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                }
                List<CompletableFuture<Void>> flushes = new ArrayList<>();
                boolean stop = false;
                for (Object item : batch) {
                    if (item instanceof byte[] line) {
                        pending.addAndGet(-line.length);
                        segments.append(line);
                        dirty = true;
                    } else if (item == STOP) {
                        stop = true;
                    } else {
                        @SuppressWarnings("unchecked")
                        CompletableFuture<Void> flush = (CompletableFuture<Void>) item;
                        flushes.add(flush);
                    }
                }
                batch.clear();
                if (dirty
                        && (stop
                                || !flushes.isEmpty()
                                || System.nanoTime() - lastForce
                                        >= settings.fsyncInterval().toNanos())) {
                    segments.force();
                    dirty = false;
                    lastForce = System.nanoTime();
                }
                flushes.forEach(f -> f.complete(null));
                if (stop) {
                    return;
                }
                segments.roll(
                        settings.segmentSize().toBytes(), settings.maxAge().dividedBy(10));
                if (System.currentTimeMillis() - lastRetention > RETENTION_EVERY_MILLIS) {
                    lastRetention = System.currentTimeMillis();
                    retain();
                }
                size = segments.size();
            }
        } catch (IOException e) {
            failed = true;
            log.error("the forecast log cannot be written any more; forecasts are no longer logged", e);
            queue.forEach(item -> {
                if (item instanceof CompletableFuture<?> f) {
                    f.completeExceptionally(new UncheckedIOException(e));
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.complete(null);
        }
    }

    private void retain() throws IOException {
        long until = segments.retain(settings.maxSize().toBytes(), settings.maxAge(), Instant.now());
        if (until > 0) {
            forgotten.accept(until);
        }
    }

    /** Writes and forces what is queued, then closes the files. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            stopped.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("the forecast log writer did not stop in time: {}", e.toString());
        }
        NamedThreads.shutdown(writer, Duration.ofSeconds(5));
        try {
            segments.close();
        } catch (IOException e) {
            log.warn("closing the forecast log: {}", e.toString());
        }
    }
}
