package io.seqserve.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The forecast log on real files: what is written is read back in order after a restart; a crash that tore
 * the last write (a line cut short, a line with a flipped byte) loses only that line, and nothing is ever
 * appended after the torn bytes; retention deletes the oldest segments by size and by age and says up to
 * when; a writer that falls behind refuses entries instead of queueing without bound.
 */
class ForecastLogTest {

    @TempDir
    Path dir;

    private static LogEntry.Forecast forecast(String id, long at) {
        return new LogEntry.Forecast(
                id,
                "m",
                1,
                "production",
                at,
                2,
                "s-" + id,
                10,
                null,
                null,
                List.of(80.0),
                List.of(new LogEntry.Target(
                        "value", new float[] {1, 2}, 0.5, new Float[][] {{0f, 1f}}, new Float[][] {{2f, 3f}})));
    }

    private static AccuracyProperties.Log settings(String maxSize, String segmentSize, String maxPending) {
        return new AccuracyProperties.Log(
                Duration.ofDays(7),
                DataSize.parse(maxSize),
                DataSize.parse(segmentSize),
                Duration.ofMillis(50),
                DataSize.parse(maxPending));
    }

    private List<LogEntry> reopen() throws IOException {
        List<LogEntry> read = new ArrayList<>();
        try (LogSegments segments = LogSegments.open(dir, read::add)) {
            return read;
        }
    }

    @Test
    void entriesSurviveARestartInOrder() throws Exception {
        try (ForecastLog log = new ForecastLog(dir, settings("1MB", "1MB", "1MB"), e -> {}, t -> {})) {
            for (int i = 0; i < 100; i++) {
                assertThat(log.append(forecast("f" + i, i))).isTrue();
            }
            log.append(new LogEntry.Actual("m", 7, "s-f1", null, 10L, null, new Double[][] {{1.5}}));
            log.flush().get();
        }
        List<LogEntry> read = reopen();
        assertThat(read).hasSize(101);
        assertThat(((LogEntry.Forecast) read.get(42)).id()).isEqualTo("f42");
        assertThat(((LogEntry.Forecast) read.get(42)).targets().get(0).upper()[0][1])
                .isEqualTo(3f);
        assertThat(((LogEntry.Actual) read.get(100)).values()[0][0]).isEqualTo(1.5);
    }

    @Test
    void aTornTailIsCutAndNothingIsAppendedAfterIt() throws Exception {
        try (LogSegments segments = LogSegments.open(dir, e -> {})) {
            segments.append(LogEntry.encode(forecast("a", 1)));
            segments.append(LogEntry.encode(forecast("b", 2)));
            byte[] third = LogEntry.encode(forecast("c", 3));
            // The crash: half of the third line reached the disk.
            segments.append(java.util.Arrays.copyOf(third, third.length / 2));
        }
        Path segment = onlySegment();
        long before = Files.size(segment);

        List<LogEntry> read = new ArrayList<>();
        try (LogSegments segments = LogSegments.open(dir, read::add)) {
            assertThat(read).extracting(e -> ((LogEntry.Forecast) e).id()).containsExactly("a", "b");
            assertThat(segments.recovery().tornBytes()).isGreaterThan(0);
            assertThat(Files.size(segment)).isLessThan(before);
            segments.append(LogEntry.encode(forecast("d", 4)));
        }
        assertThat(reopen()).extracting(e -> ((LogEntry.Forecast) e).id()).containsExactly("a", "b", "d");
    }

    @Test
    void aLineWhoseChecksumFailsIsSkipped() throws Exception {
        try (LogSegments segments = LogSegments.open(dir, e -> {})) {
            segments.append(LogEntry.encode(forecast("a", 1)));
            segments.append(LogEntry.encode(forecast("b", 2)));
        }
        Path segment = onlySegment();
        String text = Files.readString(segment, StandardCharsets.UTF_8);
        Files.writeString(segment, text.replace("\"s-b\"", "\"s-x\""), StandardOpenOption.TRUNCATE_EXISTING);

        List<LogEntry> read = new ArrayList<>();
        try (LogSegments segments = LogSegments.open(dir, read::add)) {
            assertThat(read).extracting(e -> ((LogEntry.Forecast) e).id()).containsExactly("a");
            assertThat(segments.recovery().corrupt()).isEqualTo(1);
        }
    }

    @Test
    void retentionDeletesTheOldestSegmentsBySizeAndByAge() throws Exception {
        byte[] line = LogEntry.encode(forecast("a", 1));
        try (LogSegments segments = LogSegments.open(dir, e -> {})) {
            for (int i = 0; i < 10; i++) {
                segments.append(line);
                segments.roll(1, Duration.ofDays(1)); // one line a segment
            }
            assertThat(segments.count()).isEqualTo(11);
            long forgotten = segments.retain(line.length * 4L, Duration.ofDays(7), Instant.now());
            assertThat(forgotten).isPositive();
            assertThat(segments.size()).isLessThanOrEqualTo(line.length * 4L);
            assertThat(segments.count()).isBetween(4, 5);

            // Age: make every closed segment a day old; only the active one is kept.
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
                }
            }
            segments.retain(1L << 30, Duration.ofDays(1), Instant.now());
            assertThat(segments.count()).isEqualTo(1);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

    @Test
    void entriesBeyondThePendingBoundAreRefusedNotQueued() throws Exception {
        byte[] line = LogEntry.encode(forecast("a", 1));
        // A bound smaller than one entry: the writer can never catch up, so every entry is refused.
        try (ForecastLog log =
                new ForecastLog(dir, settings("1MB", "1MB", (line.length - 1) + "B"), e -> {}, t -> {})) {
            assertThat(log.hasRoom(line.length)).isFalse();
            for (int i = 0; i < 1000; i++) {
                assertThat(log.append(forecast("a", 1))).isFalse();
            }
            log.flush().get();
            assertThat(log.sizeOnDisk()).isZero();
        }
        assertThat(reopen()).isEmpty();
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.sorted().toList();
            // The last open made a new, empty segment after the written one.
            return all.get(0);
        }
    }
}
