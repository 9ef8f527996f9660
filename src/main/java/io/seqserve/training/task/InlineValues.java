package io.seqserve.training.task;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A series given inline: a list of numbers (one feature) or of rows of numbers (one row per time step, all
 * of one width); {@code null} marks a missing value. Read token by token, so a string, a ragged row or a
 * number too large for a double is a 400 on {@code dataset.values}, never a coerced or silently dropped value.
 */
@JsonDeserialize(using = InlineValues.Reader.class)
public record InlineValues(List<List<Double>> rows, boolean univariate) {

    /** The values as they were sent: numbers, or rows. */
    @JsonValue
    Object json() {
        return univariate ? rows.stream().map(row -> row.get(0)).toList() : rows;
    }

    /** The values by feature, {@code [feature][time]}, NaN where missing. */
    double[][] columns() {
        int width = rows.get(0).size();
        double[][] columns = new double[width][rows.size()];
        for (int t = 0; t < rows.size(); t++) {
            for (int f = 0; f < width; f++) {
                Double v = rows.get(t).get(f);
                columns[f][t] = v == null ? Double.NaN : v;
            }
        }
        return columns;
    }

    static final class Reader extends ValueDeserializer<InlineValues> {

        @Override
        public InlineValues deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.isExpectedStartArrayToken()) {
                return fail(ctxt, "must be a list of numbers or of rows of numbers");
            }
            List<List<Double>> rows = new ArrayList<>();
            Boolean univariate = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                int index = rows.size();
                boolean row = t == JsonToken.START_ARRAY;
                if (univariate == null) {
                    univariate = !row;
                } else if (univariate == row) {
                    return fail(ctxt, "[" + index + "] " + (row ? "is a row among numbers" : "is a number among rows"));
                }
                if (!row) {
                    rows.add(Collections.singletonList(number(p, ctxt, index)));
                    continue;
                }
                List<Double> values = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    values.add(number(p, ctxt, index));
                }
                int width = rows.isEmpty() ? values.size() : rows.get(0).size();
                if (values.isEmpty() || values.size() != width) {
                    return fail(
                            ctxt,
                            "[" + index + "] must be a row of "
                                    + (values.isEmpty() ? "at least one value" : width + " values"));
                }
                rows.add(values);
            }
            if (rows.isEmpty()) {
                return fail(ctxt, "must be a non-empty list of numbers or of rows of numbers");
            }
            return new InlineValues(rows, univariate);
        }

        private Double number(JsonParser p, DeserializationContext ctxt, int index) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                double value = p.getDoubleValue();
                if (Double.isFinite(value)) {
                    return value;
                }
            }
            fail(ctxt, "[" + index + "] must hold finite numbers or null");
            return null;
        }

        private InlineValues fail(DeserializationContext ctxt, String message) {
            return ctxt.reportInputMismatch(this, message);
        }
    }
}
