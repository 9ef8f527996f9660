package io.seqserve.training.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An uploaded data set as the API shows it and as {@code meta.json} stores it beside the data.
 *
 * @param kind {@code csv} (columns typed, missing values counted) or {@code text}
 * @param rows data records of a CSV (header excluded) or lines of a text
 * @param characters code points of a text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Dataset(
        String id,
        String name,
        String kind,
        long bytes,
        long rows,
        List<Column> columns,
        Long characters,
        Instant createdAt) {

    public static final String CSV = "csv";
    public static final String TEXT = "text";

    /** One CSV column: {@code number} when every present value parses as one, else {@code string}. */
    public record Column(String name, String type, long missing) {

        public boolean numeric() {
            return type.equals("number");
        }
    }

    public Column column(String name) {
        return columns == null
                ? null
                : columns.stream()
                        .filter(c -> c.name().equals(name))
                        .findFirst()
                        .orElse(null);
    }
}
