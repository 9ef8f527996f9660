package io.seqserve.accuracy;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logged forecasts in memory, per model ({@link ModelBook}), and the order they came in, which bounds them:
 * the oldest are forgotten once they are older than the log's {@code max-age}, once the index holds more than
 * the log's {@code max-size} (estimated), or when the log deleted the segments they were written to. So memory
 * holds what the log holds, never more than its size on disk allows.
 */
final class ForecastIndex {

    private final Map<String, ModelBook> books = new ConcurrentHashMap<>();
    private final ArrayDeque<Logged> order = new ArrayDeque<>();
    private final AccuracyProperties properties;
    private final long maxBytes;
    private final long maxAgeMillis;
    private long bytes;

    ForecastIndex(AccuracyProperties properties) {
        this.properties = properties;
        this.maxBytes = properties.log().maxSize().toBytes();
        this.maxAgeMillis = properties.log().maxAge().toMillis();
    }

    ModelBook book(String model) {
        return books.computeIfAbsent(
                model,
                m -> new ModelBook(
                        m,
                        new Scoreboard(
                                properties.bucket().toMillis(),
                                properties.history().toMillis(),
                                properties.steps(),
                                properties.levels().size()),
                        properties.levels(),
                        properties.maxLateness().toMillis()));
    }

    Optional<ModelBook> find(String model) {
        return Optional.ofNullable(books.get(model));
    }

    Collection<ModelBook> books() {
        return books.values();
    }

    /**
     * Counts a forecast already added to its book towards the bounds; {@code evict}: forget what is now too old
     * or too much (not while replaying the log). Never called holding a book's lock (forgetting takes them).
     */
    synchronized void track(Logged f, boolean evict) {
        order.add(f);
        bytes += f.bytes();
        if (evict) {
            forget(System.currentTimeMillis() - maxAgeMillis);
        }
    }

    /** Forgets the forecasts made before {@code before} (epoch ms), and the oldest while over the size bound. */
    synchronized void forget(long before) {
        while (!order.isEmpty() && (bytes > maxBytes || order.peekFirst().at < before)) {
            Logged f = order.pollFirst();
            bytes -= f.bytes();
            f.book.remove(f);
        }
    }

    /** After a replay: forgets what is older than {@code max-age} now. */
    void expire() {
        forget(System.currentTimeMillis() - maxAgeMillis);
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return order.size();
    }
}
