package io.seqserve.forecasting;

import io.seqserve.Failure;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the JSON bodies of {@code :forecast}, {@code :backtest} and {@code :calibrate}. Problems with the
 * body itself are 400 naming the field, sizes over the limits 413, a horizon beyond the maximum 422.
 */
final class RequestReader {

    private final JsonNode body;
    private final ForecastingProperties limits;

    RequestReader(JsonNode body, ForecastingProperties limits) {
        if (body == null || !body.isObject()) {
            throw Failure.badRequest("the body must be a JSON object");
        }
        this.body = body;
        this.limits = limits;
    }

    List<Series> series() {
        JsonNode list = body.get("series");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw Failure.invalid("series", "must be a non-empty list of {\"id\", \"values\"}");
        }
        if (list.size() > limits.maxSeries()) {
            throw tooLarge(list.size() + " series in one request; the limit is " + limits.maxSeries());
        }
        List<Series> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long points = 0;
        for (int i = 0; i < list.size(); i++) {
            String field = "series[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                throw Failure.invalid(field, "must be an object with \"values\"");
            }
            String id = id(item.get("id"), field, i);
            if (!ids.add(id)) {
                throw Failure.invalid(field + ".id", "'" + id + "' is used by more than one series");
            }
            double[][] rows = values(item.get("values"), field + ".values");
            points += (long) rows.length * rows[0].length;
            if (points > limits.maxPoints()) {
                throw tooLarge("more than " + limits.maxPoints() + " values in one request");
            }
            out.add(Series.read(id, field, rows));
        }
        return out;
    }

    /** {@code horizon}, or {@code fallback} when absent (null: required). */
    int horizon(Integer fallback) {
        int horizon = positiveInt("horizon", fallback);
        if (horizon > limits.maxHorizon()) {
            throw Failure.unprocessable("horizon", horizon + " is beyond the maximum of " + limits.maxHorizon());
        }
        return horizon;
    }

    /** A field that must be an integer >= 1, or {@code fallback} when absent (null: required). */
    int positiveInt(String field, Integer fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw Failure.invalid(field, "is required");
            }
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            throw Failure.invalid(field, "must be an integer >= 1, got " + node);
        }
        return node.asInt();
    }

    /** Nixtla's {@code level}: interval coverages in percent, each in (0, 100); empty when absent. */
    List<Double> levels() {
        JsonNode node = body.get("level");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > 10) {
            throw Failure.invalid("level", "must be a list of at most 10 percentages, e.g. [80, 95]");
        }
        TreeSet<Double> levels = new TreeSet<>();
        for (JsonNode level : node) {
            if (!level.isNumber() || !(level.asDouble() > 0 && level.asDouble() < 100)) {
                throw Failure.invalid("level", "each level must be a number strictly between 0 and 100, got " + level);
            }
            levels.add(level.asDouble());
        }
        return List.copyOf(levels);
    }

    /** The request's {@code fill}, or null to use the model's. */
    Fill fill() {
        JsonNode node = body.get("fill");
        if (node == null || node.isNull()) {
            return null;
        }
        Fill fill = node.isString() ? Fill.find(node.asString()) : null;
        if (fill == null) {
            throw Failure.invalid("fill", "must be one of " + Fill.NAMES);
        }
        return fill;
    }

    private static String id(JsonNode node, String field, int index) {
        if (node == null || node.isNull()) {
            return String.valueOf(index);
        }
        if (!(node.isString() || node.isIntegralNumber()) || node.asString().isEmpty() || node.asString().length() > 200) {
            throw Failure.invalid(field + ".id", "must be a string of 1 to 200 characters");
        }
        return node.asString();
    }

    /** Numbers (univariate) or equally long rows of numbers (one per time step); null marks a gap. */
    private static double[][] values(JsonNode node, String field) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw Failure.invalid(field, "must be a non-empty list of numbers or of rows of numbers");
        }
        int width = -1;
        for (JsonNode v : node) {
            if (v.isArray()) {
                width = v.size();
                break;
            }
        }
        if (width == 0) {
            throw Failure.invalid(field, "rows must hold at least one number");
        }
        double[][] rows = new double[node.size()][];
        for (int t = 0; t < rows.length; t++) {
            JsonNode v = node.get(t);
            String at = field + "[" + t + "]";
            if (width < 0) {
                rows[t] = new double[] {number(v, at)};
            } else if (v.isNull()) {
                rows[t] = nulls(width);
            } else if (!v.isArray()) {
                throw Failure.invalid(at, "mixes numbers and rows; use one form for the whole series");
            } else if (v.size() != width) {
                throw Failure.invalid(at, "holds " + v.size() + " values but the first row " + width + " (ragged rows)");
            } else {
                rows[t] = new double[width];
                for (int f = 0; f < width; f++) {
                    rows[t][f] = number(v.get(f), at + "[" + f + "]");
                }
            }
        }
        return rows;
    }

    private static double number(JsonNode v, String field) {
        if (v.isNull()) {
            return Double.NaN;
        }
        if (v.isArray()) {
            throw Failure.invalid(field, "mixes numbers and rows; use one form for the whole series");
        }
        if (!v.isNumber()) {
            throw Failure.invalid(field, "must be a number or null, got " + v);
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw Failure.invalid(field, "must be a finite number, got " + v);
        }
        return d;
    }

    private static double[] nulls(int width) {
        double[] row = new double[width];
        Arrays.fill(row, Double.NaN);
        return row;
    }

    private static Failure tooLarge(String detail) {
        return Failure.tooLarge(detail);
    }
}
