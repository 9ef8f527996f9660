package io.seqserve.forecasting;

import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;

/**
 * The models of the multivariate tests ({@code mv-} names): linear SavedModels written from Java
 * ({@link LinearSavedModel}) whose manifests name targets and covariates, so every answer can be computed by
 * hand, and the real Keras {@code gru_tsla_w14f6} (window 14 x 6 features: Open and five same-day covariates)
 * with a manifest naming them.
 */
final class MultivariateTestModels {

    static final List<String> NAMES = List.of(
            "mv-two",
            "mv-two-cal",
            "mv-mimo",
            "mv-calendar",
            "mv-past",
            "mv-static",
            "mv-tsla",
            "mv-bad-vocab",
            "mv-bad-width");
    static final Set<String> UNUSABLE = Set.of("mv-bad-vocab", "mv-bad-width");

    /** Targets a (residuals for intervals) and b, future covariate c scaled by 10: a' = a + c/10, b' = b/2. */
    static final String TWO = """
            task: forecasting
            forecasting:
              window: 2
              output: next_step
              targets:
                - name: a
                  residuals: {"1": [1, 1, 1, 1, 1, 1, 1, 1, 1, 2], "2": [2, 2, 2, 2, 2, 2, 2, 2, 2, 3]}
                - {name: b}
              future_covariates:
                - {name: c, scaling: {method: zscore, mean: 0, std: 10}}
            """;

    private static final String TSLA_COVARIATES =
            "[{name: High}, {name: Low}, {name: Close}, {name: Adj Close}, " + "{name: sentiment}]";

    private static boolean published;

    private MultivariateTestModels() {}

    static synchronized void publish() throws IOException {
        if (published) {
            return;
        }
        published = true;
        float[][] two = LinearSavedModel.weights(
                2, 3, 2, new float[] {3, 0, 1}, new float[] {5, 0, 1}, new float[] {4, 1, 0.5f});
        linear("mv-two", 2, 3, new long[] {2}, two, TWO);
        linear("mv-two-cal", 2, 3, new long[] {2}, two, TWO);
        // Window 3, horizon 2, outputs [h][target]: a_h = a_last + c(T + h) (rows 1 and 2 hold c(T), c(T + 1)), b_h =
        // b_last.
        linear(
                "mv-mimo",
                3,
                3,
                new long[] {2, 2},
                LinearSavedModel.weights(
                        3,
                        3,
                        4,
                        new float[] {6, 0, 1},
                        new float[] {5, 0, 1},
                        new float[] {6, 2, 1},
                        new float[] {8, 2, 1},
                        new float[] {7, 1, 1},
                        new float[] {7, 3, 1}),
                """
                task: forecasting
                forecasting:
                  window: 3
                  output: multi_horizon
                  targets: [{name: a}, {name: b}]
                  future_covariates: [{name: c}]
                """);
        // y' = sin(2 pi month phase) of the step forecast.
        linear("mv-calendar", 1, 3, new long[] {1}, LinearSavedModel.weights(1, 3, 1, new float[] {1, 0, 1}), """
                task: forecasting
                forecasting: {window: 1, targets: [{name: y}], calendar: [month], frequency: month}
                """);
        linear(
                "mv-past",
                1,
                2,
                new long[] {1},
                LinearSavedModel.weights(1, 2, 1, new float[] {0, 0, 1}, new float[] {1, 0, 1}),
                """
                task: forecasting
                forecasting: {window: 1, targets: [{name: y}], past_covariates: [{name: p}]}
                """);
        // y' = scaled s + 10 for series x + 20 for series z.
        linear(
                "mv-static",
                1,
                4,
                new long[] {1},
                LinearSavedModel.weights(
                        1, 4, 1, new float[] {1, 0, 1}, new float[] {2, 0, 10}, new float[] {3, 0, 20}),
                """
                task: forecasting
                forecasting:
                  window: 1
                  targets: [{name: y}]
                  static_covariates: [{name: s, scaling: {method: zscore, mean: 100, std: 10}}]
                  series_ids: [x, z]
                """);
        version("mv-tsla", dir -> {
            TestModelRoot.copy(ForecastTestModels.SHARED.resolve("savedmodels/gru_tsla_w14f6"), dir);
            Files.writeString(
                    dir.resolve("seqserve.yaml"),
                    "task: forecasting\nforecasting:\n  targets: [{name: Open}]\n  future_covariates: "
                            + TSLA_COVARIATES + "\n  future_lead: 0\n");
        });
        linear(
                "mv-bad-vocab",
                1,
                2,
                new long[] {1},
                LinearSavedModel.weights(1, 2, 1),
                "task: forecasting\nforecasting: {window: 1, future_covariates: [{name: c}], calendar: [season]}\n");
        linear(
                "mv-bad-width",
                1,
                4,
                new long[] {1},
                LinearSavedModel.weights(1, 4, 1),
                "task: forecasting\nforecasting: {window: 1, targets: [{name: y}], future_covariates: [{name: c}]}\n");
    }

    private interface Writer {
        void write(Path dir) throws IOException;
    }

    private static void linear(String name, int window, int features, long[] dims, float[][] w, String manifest)
            throws IOException {
        version(name, dir -> {
            LinearSavedModel.export(dir, window, features, dims, w);
            Files.writeString(dir.resolve("seqserve.yaml"), manifest);
        });
    }

    /** Prepares version 1 in a temp directory under the root, then renames it into place. */
    private static void version(String name, Writer writer) throws IOException {
        Path root = TestModelRoot.get();
        Path staging = Files.createTempDirectory(root, ".publish-");
        Path dir = staging.resolve("v");
        Files.createDirectories(dir);
        writer.write(dir);
        Files.createDirectories(root.resolve(name));
        Files.move(dir, root.resolve(name).resolve("1"), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(staging);
    }
}
