package io.seqserve.forecasting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Reads a series' {@code values} straight from the parser into {@code rows[t][f]}: a list of numbers
 * (univariate) or of equally long rows of numbers, {@code null} for a gap (a value, or a whole row), one
 * form for the whole series. A value that is not a finite number is refused with its index in the path
 * ({@code series[0].values[3]}).
 */
public final class SeriesValues extends ValueDeserializer<double[][]> {

    private static final String FORMS = "must be a non-empty list of numbers or of rows of numbers";
    private static final String MIXED = "mixes numbers and rows; use one form for the whole series";

    @Override
    public double[][] deserialize(JsonParser p, DeserializationContext ctxt) {
        if (!p.isExpectedStartArrayToken()) {
            throw mismatch(p, FORMS, -1);
        }
        List<double[]> rows = new ArrayList<>();
        int width = -1; // unknown until the first number or row: 0 numbers, > 0 rows
        int leadingNulls = 0;
        for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
            int t = rows.size() + leadingNulls;
            if (token == JsonToken.VALUE_NULL) {
                if (width < 0) {
                    leadingNulls++;
                } else {
                    rows.add(gap(Math.max(width, 1)));
                }
            } else if (token == JsonToken.START_ARRAY) {
                if (width == 0) {
                    throw mismatch(p, MIXED, t);
                }
                double[] row = row(p, width, t);
                if (width < 0) {
                    width = row.length;
                    rows.addAll(gaps(leadingNulls, width));
                    leadingNulls = 0;
                }
                rows.add(row);
            } else {
                if (width > 0) {
                    throw mismatch(p, MIXED, t);
                }
                if (width < 0) {
                    width = 0;
                    rows.addAll(gaps(leadingNulls, 1));
                    leadingNulls = 0;
                }
                rows.add(new double[] {number(p, token, t)});
            }
        }
        rows.addAll(gaps(leadingNulls, 1));
        if (rows.isEmpty()) {
            throw mismatch(p, FORMS, -1);
        }
        return rows.toArray(double[][]::new);
    }

    /** One row; {@code width} (-1: this is the first) is the length every row must have. */
    private static double[] row(JsonParser p, int width, int t) {
        List<Double> values = new ArrayList<>();
        for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
            values.add(token == JsonToken.VALUE_NULL ? Double.NaN : number(p, token, t));
        }
        if (values.isEmpty()) {
            throw mismatch(p, "rows must hold at least one number", t);
        }
        if (width > 0 && values.size() != width) {
            throw mismatch(p, "holds " + values.size() + " values but the first row " + width + " (ragged rows)", t);
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double number(JsonParser p, JsonToken token, int t) {
        if (token == JsonToken.START_ARRAY) {
            throw mismatch(p, MIXED, t);
        }
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw mismatch(p, "must be a number or null", t);
        }
        double value = p.getDoubleValue();
        if (!Double.isFinite(value)) {
            throw mismatch(p, "must be a finite number", t);
        }
        return value;
    }

    private static double[] gap(int width) {
        double[] row = new double[width];
        Arrays.fill(row, Double.NaN);
        return row;
    }

    private static List<double[]> gaps(int count, int width) {
        List<double[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(gap(width));
        }
        return rows;
    }

    private static MismatchedInputException mismatch(JsonParser p, String message, int index) {
        MismatchedInputException e = MismatchedInputException.from(p, double[][].class, message);
        if (index >= 0) {
            e.prependPath(new double[0][], index);
        }
        return e;
    }
}
