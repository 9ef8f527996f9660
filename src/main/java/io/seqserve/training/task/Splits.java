package io.seqserve.training.task;

import io.seqserve.Failure;
import io.seqserve.Failure.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The chronological parts of a job's data (training, validation, test) and how much of each is real. A
 * series' missing values are filled in before training, so a part made mostly or only of filled-in
 * values would be trained or scored on made-up data: {@link #refuseMadeUp} refuses that before a job is
 * queued, and the counts are reported with the job's result.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Splits(Part train, Part validation, Part test) {

    private static final String[] NAMES = {"training", "validation", "test"};

    /**
     * @param steps time steps (characters for text)
     * @param values steps times features
     * @param real values that were observed, not filled in
     */
    public record Part(int steps, long values, long real) {

        Part plus(Part other) {
            return new Part(steps + other.steps, values + other.values, real + other.real);
        }
    }

    /** The parts {@code [0, trainEnd)}, {@code [trainEnd, valEnd)} and the rest of {@code columns[feature][time]}, NaN = missing. */
    static Splits count(double[][] columns, int trainEnd, int valEnd) {
        int length = columns[0].length;
        return new Splits(part(columns, 0, trainEnd), part(columns, trainEnd, valEnd), part(columns, valEnd, length));
    }

    /** Both series' counts added up, part by part (a global model's data). */
    Splits plus(Splits other) {
        return new Splits(train.plus(other.train), validation.plus(other.validation), test.plus(other.test));
    }

    /** The parts of data with no missing values (a text). */
    static Splits complete(int trainEnd, int valEnd, int length) {
        return new Splits(
                new Part(trainEnd, trainEnd, trainEnd),
                new Part(valEnd - trainEnd, valEnd - trainEnd, valEnd - trainEnd),
                new Part(length - valEnd, length - valEnd, length - valEnd));
    }

    private static Part part(double[][] columns, int from, int to) {
        long real = 0;
        for (double[] column : columns) {
            real += real(column, from, to);
        }
        return new Part(to - from, (long) (to - from) * columns.length, real);
    }

    private static long real(double[] column, int from, int to) {
        long real = 0;
        for (int t = from; t < to; t++) {
            if (!Double.isNaN(column[t])) {
                real++;
            }
        }
        return real;
    }

    /**
     * 422 on {@code field} when a column misses more than {@code maxMissing} of its values, or has no real
     * value in a non-empty part; every such finding is listed.
     */
    static void refuseMadeUp(
            double[][] columns, List<String> names, String field, int trainEnd, int valEnd, double maxMissing) {
        int length = columns[0].length;
        int[] bounds = {0, Math.max(0, trainEnd), Math.max(0, valEnd), length};
        List<FieldError> errors = new ArrayList<>();
        for (int f = 0; f < columns.length; f++) {
            long missing = length - real(columns[f], 0, length);
            if (missing > maxMissing * length) {
                errors.add(new FieldError(
                        field,
                        String.format(
                                Locale.ROOT,
                                "'%s' has %d of %d values missing (%.1f %%); at most %.0f %% may be filled in "
                                        + "(seqserve.training.max-missing-fraction)",
                                names.get(f),
                                missing,
                                length,
                                100.0 * missing / length,
                                100 * maxMissing)));
            }
            for (int p = 0; p < NAMES.length; p++) {
                int from = bounds[p];
                int to = bounds[p + 1];
                if (to > from && real(columns[f], from, to) == 0) {
                    errors.add(new FieldError(
                            field,
                            "'" + names.get(f) + "' has no real values in the " + NAMES[p] + " part (steps " + from
                                    + ".." + (to - 1) + " of " + length + "); all of them would be filled in"));
                }
            }
        }
        if (!errors.isEmpty()) {
            String detail =
                    errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
            throw new Failure(Failure.Kind.UNPROCESSABLE, detail, errors, null, null);
        }
    }
}
