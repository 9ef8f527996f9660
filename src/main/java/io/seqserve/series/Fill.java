package io.seqserve.series;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.seqserve.Failure;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How missing values ({@code NaN}) in a series are filled, variable by variable: the one implementation used
 * by requests (the manifest's or the request's {@code fill}) and by training (always {@link #LINEAR}).
 */
public enum Fill {
    /** Straight line between the known neighbours; the nearest known value before the first or after the last. */
    LINEAR,
    /** The last known value; the first known value for leading gaps. */
    FFILL,
    /** No filling: a series with a gap is refused. */
    ERROR;

    public static final List<String> NAMES =
            Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList();

    public static Fill find(String name) {
        return name == null || !NAMES.contains(name) ? null : valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** A request's {@code fill}, by its lower-case name. */
    /** The name the API reads and the OpenAPI document lists. */
    @JsonValue
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Fill of(String name) {
        Fill fill = find(name);
        if (fill == null) {
            throw new IllegalArgumentException("must be one of " + NAMES);
        }
        return fill;
    }

    /** Fills the NaN entries of {@code rows[t][f]} in place; {@code field} names the series in errors. */
    public void apply(double[][] rows, String field) {
        apply(rows, field, null);
    }

    /**
     * Fills the NaN entries of {@code rows[t][f]} in place; {@code field} names the series in errors and
     * {@code names} (null: "feature f") its variables.
     */
    public void apply(double[][] rows, String field, List<String> names) {
        int features = rows.length == 0 ? 0 : rows[0].length;
        for (int f = 0; f < features; f++) {
            int first = -1;
            for (int t = 0; t < rows.length; t++) {
                if (!Double.isNaN(rows[t][f])) {
                    first = t;
                    break;
                }
            }
            if (first < 0) {
                String what = names == null ? "feature " + f : "'" + names.get(f) + "'";
                throw Failure.unprocessable(field, what + " has no value at all, so there is nothing to fill from");
            }
            fillColumn(rows, f, first, field);
        }
    }

    private void fillColumn(double[][] rows, int f, int first, String field) {
        int last = first;
        for (int t = 0; t < rows.length; t++) {
            if (!Double.isNaN(rows[t][f])) {
                if (t - last > 1 && this == LINEAR) {
                    double from = rows[last][f];
                    double slope = (rows[t][f] - from) / (t - last);
                    for (int g = last + 1; g < t; g++) {
                        rows[g][f] = from + slope * (g - last);
                    }
                }
                last = t;
            } else if (this == ERROR) {
                throw Failure.unprocessable(field, "value " + t + " is null and fill is 'error'");
            } else if (t < first) {
                rows[t][f] = rows[first][f];
            } else if (this == FFILL) {
                rows[t][f] = rows[last][f];
            }
        }
        for (int t = last + 1; t < rows.length; t++) {
            rows[t][f] = rows[last][f];
        }
    }
}
