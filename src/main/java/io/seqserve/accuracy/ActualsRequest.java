package io.seqserve.accuracy;

import io.seqserve.Failure;
import io.seqserve.forecasting.SeriesValues;
import io.seqserve.series.Timeline;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code :actuals}: observed values, each item addressed one of three ways: {@code forecast_id}
 * (row i is step i+1 of that forecast; {@code id} names the series unless the forecast had one), {@code id} and
 * {@code step} (the series' value number counting the forecast request's first value as 0; rows are consecutive
 * steps), or {@code id} and {@code timestamp} (the first row's time; rows follow at the model's frequency).
 * {@code values}: numbers (one target) or rows with one value per target in the model's order, {@code null}
 * where not observed.
 */
@io.swagger.v3.oas.annotations.media.Schema(name = "ActualsRequest")
record ActualsRequest(List<Item> actuals) {

    @io.swagger.v3.oas.annotations.media.Schema(name = "ActualsItem")
    record Item(
            String id,
            String forecastId,
            Long step,
            String timestamp,
            @JsonDeserialize(using = SeriesValues.class) double[][] values) {}

    static final int MAX_ID = 200;

    /** The items as log entries received at {@code at}; INVALID naming the field, TOO_LARGE over {@code maxRows}. */
    List<LogEntry.Actual> entries(String model, long at, int maxRows) {
        if (actuals == null || actuals.isEmpty()) {
            throw Failure.invalid(
                    "actuals", "must be a non-empty list of {id, forecast_id | step | timestamp, values}");
        }
        long rows = 0;
        List<LogEntry.Actual> out = new ArrayList<>(actuals.size());
        for (int i = 0; i < actuals.size(); i++) {
            String field = "actuals[" + i + "]";
            Item item = actuals.get(i);
            if (item == null) {
                throw Failure.invalid(field, "must be an object {id, forecast_id | step | timestamp, values}");
            }
            if (item.values() == null) {
                throw Failure.invalid(field + ".values", "is required: a list of numbers or of rows of numbers");
            }
            int given = (item.forecastId() == null ? 0 : 1)
                    + (item.step() == null ? 0 : 1)
                    + (item.timestamp() == null ? 0 : 1);
            if (given != 1) {
                throw Failure.invalid(field, "give exactly one of forecast_id, step and timestamp");
            }
            if (item.id() == null && item.forecastId() == null) {
                throw Failure.invalid(field + ".id", "is required: the series id (as in the forecast request)");
            }
            if (item.id() != null && (item.id().isEmpty() || item.id().length() > MAX_ID)) {
                throw Failure.invalid(field + ".id", "must be a string of 1 to " + MAX_ID + " characters");
            }
            if (item.forecastId() != null
                    && (item.forecastId().isEmpty() || item.forecastId().length() > 64)) {
                throw Failure.invalid(field + ".forecast_id", "must be a forecast id as :forecast answered it");
            }
            if (item.step() != null && item.step() < 0) {
                throw Failure.invalid(field + ".step", "must be an integer >= 0");
            }
            rows += item.values().length;
            if (rows > maxRows) {
                throw Failure.tooLarge("more than " + maxRows + " rows of actual values in one request");
            }
            out.add(new LogEntry.Actual(
                    model,
                    at,
                    item.id(),
                    item.forecastId(),
                    item.step(),
                    time(item.timestamp(), field),
                    boxed(item.values())));
        }
        return out;
    }

    private static String time(String timestamp, String field) {
        if (timestamp == null) {
            return null;
        }
        try {
            LocalDateTime time = Timeline.parse(timestamp);
            return time.toString();
        } catch (IllegalArgumentException e) {
            throw Failure.invalid(field + ".timestamp", e.getMessage());
        }
    }

    /** {@code NaN} (a {@code null} in the request) becomes null: not observed. */
    private static Double[][] boxed(double[][] values) {
        Double[][] out = new Double[values.length][];
        for (int t = 0; t < values.length; t++) {
            out[t] = new Double[values[t].length];
            for (int v = 0; v < values[t].length; v++) {
                out[t][v] = Double.isNaN(values[t][v]) ? null : values[t][v];
            }
        }
        return out;
    }
}
