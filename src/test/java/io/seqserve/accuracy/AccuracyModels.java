package io.seqserve.accuracy;

import io.seqserve.forecasting.LinearSavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Known-answer forecasters for the accuracy tests: real SavedModels written from Java whose next step is
 * {@code factor} times the last value (window 2, one feature), with conformal residuals 0.1, 0.2, ... 2.0 for
 * steps 1 to 4, so that the 80 % interval is the mean +- 1.7 and the 95 % one +- 2.0 at every step.
 */
public final class AccuracyModels {

    static final double HALF_WIDTH_80 = 1.7;
    static final double HALF_WIDTH_95 = 2.0;

    private AccuracyModels() {}

    /** Publishes version {@code version} of {@code name} under {@code root}: prepared beside, renamed into place. */
    public static void linear(Path root, String name, int version, float factor) throws IOException {
        linear(root, name, version, factor, false);
    }

    /**
     * As above; {@code daily}: the manifest names its target ({@code value}) and a daily frequency, so forecasts
     * made with a {@code start} have timestamps and their actuals can be given by timestamp.
     */
    static void linear(Path root, String name, int version, float factor, boolean daily) throws IOException {
        Path staged = Files.createTempDirectory(root, ".staged-");
        LinearSavedModel.export(
                staged, 2, 1, new long[] {1}, LinearSavedModel.weights(2, 1, 1, new float[] {1, 0, factor}));
        String residuals = IntStream.rangeClosed(1, 20)
                .mapToObj(i -> String.valueOf(i / 10.0))
                .collect(Collectors.joining(", ", "[", "]"));
        String manifest = daily ? """
                task: forecasting
                forecasting:
                  window: 2
                  output: next_step
                  frequency: day
                  targets:
                    - name: value
                      residuals: {"1": %1$s, "2": %1$s, "3": %1$s, "4": %1$s}
                """ : """
                task: forecasting
                forecasting:
                  window: 2
                  features: 1
                  output: next_step
                  residuals: {"1": %1$s, "2": %1$s, "3": %1$s, "4": %1$s}
                """;
        Files.writeString(staged.resolve("seqserve.yaml"), manifest.formatted(residuals));
        Path target = root.resolve(name).resolve(String.valueOf(version));
        Files.createDirectories(target.getParent());
        Files.move(staged, target);
    }
}
