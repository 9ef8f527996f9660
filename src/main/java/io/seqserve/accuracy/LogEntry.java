package io.seqserve.accuracy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the forecast log holds, one entry a line: {@code <crc32 hex> <json>\n}. A forecast entry is one series
 * forecast by one version (what scoring it needs: where it starts, its means, the naive forecast, the interval
 * bounds at the logged levels); an actual entry is one item of an {@code :actuals} request as it was applied,
 * so that replaying the log in order rebuilds the same scores. A line whose checksum does not match (a write
 * torn by a crash) is not an entry.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LogEntry.Forecast.class, name = "f"),
    @JsonSubTypes.Type(value = LogEntry.Actual.class, name = "a")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
sealed interface LogEntry permits LogEntry.Forecast, LogEntry.Actual {

    String model();

    /** Epoch milliseconds: when the forecast was asked for, or the actuals received. */
    long at();

    /**
     * {@code time}: the first forecast value's timestamp (ISO local date-time) when known; {@code levels} the
     * interval levels of every target's {@code lower}/{@code upper} ({@code [level][step]}, null where the model
     * has no residuals).
     */
    record Forecast(
            String id,
            String model,
            long version,
            String route,
            long at,
            int horizon,
            String series,
            int origin,
            String time,
            String frequency,
            List<Double> levels,
            List<Target> targets)
            implements LogEntry {}

    record Target(String name, float[] mean, double last, Float[][] lower, Float[][] upper) {}

    /**
     * Actual values of one series from {@code step} (or {@code time}, or step 1 of forecast {@code forecast}):
     * {@code values[i][target]}, null where not given.
     */
    record Actual(String model, long at, String series, String forecast, Long step, String time, Double[][] values)
            implements LogEntry {}

    ObjectMapper JSON = JsonMapper.builder().build();

    /** The entry as a line of the log, checksum first. */
    static byte[] encode(LogEntry entry) {
        byte[] json = JSON.writeValueAsBytes(entry);
        CRC32 crc = new CRC32();
        crc.update(json);
        byte[] head = (HexFormat.of().toHexDigits((int) crc.getValue()) + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + json.length + 1];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(json, 0, line, head.length, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** The entry a line (without its newline) holds, or null when its checksum or JSON is broken. */
    static LogEntry decode(byte[] line, int from, int to) {
        if (to - from < 10 || line[from + 8] != ' ') {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(line, from + 9, to - from - 9);
        String head = new String(line, from, 8, StandardCharsets.US_ASCII);
        try {
            if ((int) crc.getValue() != HexFormat.fromHexDigits(head)) {
                return null;
            }
            return JSON.readValue(line, from + 9, to - from - 9, LogEntry.class);
        } catch (IllegalArgumentException | JacksonException e) {
            return null;
        }
    }
}
