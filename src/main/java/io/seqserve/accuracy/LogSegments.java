package io.seqserve.accuracy;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast log's files: numbered segments ({@code 00000000000000000042.log}) in one directory, appended to
 * one at a time, read back in order at start, deleted oldest first. Opening recovers from a crash: a last
 * segment that ends in a torn entry (a line cut short or whose checksum fails) is cut back to its last whole
 * entry; then a new segment is started, so nothing is ever appended after bytes a crash left behind. Used by
 * one thread at a time ({@link ForecastLog}'s writer, or the opener before it starts).
 */
final class LogSegments implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(LogSegments.class);
    private static final Pattern NAME = Pattern.compile("[0-9]{20}\\.log");

    /** What recovery found: entries read, lines skipped as corrupt, bytes cut from a torn tail. */
    record Recovery(long entries, long corrupt, long tornBytes) {}

    private final Path dir;
    private final TreeMap<Long, Long> sizes = new TreeMap<>();
    private FileChannel active;
    private long activeNumber;
    private long activeOpened;
    private Recovery recovery;

    private LogSegments(Path dir) {
        this.dir = dir;
    }

    /** Opens the log in {@code dir}, hands every entry to {@code replay} in order, and starts a new segment. */
    static LogSegments open(Path dir, Consumer<LogEntry> replay) throws IOException {
        Files.createDirectories(dir);
        LogSegments segments = new LogSegments(dir);
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .forEach(p ->
                            files.put(Long.parseLong(p.getFileName().toString().substring(0, 20)), p));
        }
        long entries = 0;
        long corrupt = 0;
        long torn = 0;
        for (Map.Entry<Long, Path> file : files.entrySet()) {
            byte[] bytes = Files.readAllBytes(file.getValue());
            int end = 0; // after the last whole entry
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                LogEntry entry = LogEntry.decode(bytes, start, i);
                if (entry == null) {
                    corrupt++;
                } else {
                    replay.accept(entry);
                    entries++;
                    end = i + 1;
                }
                start = i + 1;
            }
            if (file.getKey().equals(files.lastKey()) && end < bytes.length) {
                // A crash tore the last writes: keep the whole entries before them (lines after the last good one
                // that were counted as corrupt are part of the tear).
                torn = bytes.length - end;
                try (FileChannel channel = FileChannel.open(file.getValue(), StandardOpenOption.WRITE)) {
                    channel.truncate(end);
                    channel.force(true);
                }
                log.warn("forecast log {}: cut {} bytes of a torn write", file.getValue(), torn);
            }
            segments.sizes.put(file.getKey(), Files.size(file.getValue()));
        }
        segments.recovery = new Recovery(entries, corrupt, torn);
        segments.start(files.isEmpty() ? 1 : files.lastKey() + 1);
        return segments;
    }

    private void start(long number) throws IOException {
        activeNumber = number;
        activeOpened = System.currentTimeMillis();
        active = FileChannel.open(
                file(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        sizes.put(number, 0L);
    }

    private Path file(long number) {
        return dir.resolve(String.format("%020d.log", number));
    }

    void append(byte[] line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            active.write(buffer);
        }
        sizes.merge(activeNumber, (long) line.length, Long::sum);
    }

    void force() throws IOException {
        active.force(false);
    }

    /** Starts a new segment when the active one is over {@code maxSize} or older than {@code maxAge}. */
    void roll(long maxSize, Duration maxAge) throws IOException {
        long size = sizes.get(activeNumber);
        boolean old = System.currentTimeMillis() - activeOpened > maxAge.toMillis();
        if (size >= maxSize || (old && size > 0)) {
            active.force(true);
            active.close();
            start(activeNumber + 1);
        }
    }

    /**
     * Deletes the oldest closed segments while the log is over {@code maxSize} or they were last written before
     * {@code now - maxAge}. Returns the newest last-write time among the deleted ones (what the in-memory index
     * may forget up to), or 0 when none was.
     */
    long retain(long maxSize, Duration maxAge, Instant now) throws IOException {
        long total = size();
        long forgotten = 0;
        while (sizes.size() > 1) {
            long oldest = sizes.firstKey();
            Path path = file(oldest);
            long written = Files.exists(path) ? Files.getLastModifiedTime(path).toMillis() : 0;
            if (total <= maxSize && written >= now.minus(maxAge).toEpochMilli()) {
                break;
            }
            Files.deleteIfExists(path);
            total -= sizes.remove(oldest);
            forgotten = Math.max(forgotten, written);
        }
        return forgotten;
    }

    /** What opening the log found. */
    Recovery recovery() {
        return recovery;
    }

    long size() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    int count() {
        return sizes.size();
    }

    @Override
    public void close() throws IOException {
        if (active != null && active.isOpen()) {
            active.force(true);
            active.close();
        }
    }
}
