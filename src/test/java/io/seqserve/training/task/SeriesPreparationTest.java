package io.seqserve.training.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;
import io.seqserve.series.Fill;
import io.seqserve.series.Scaling;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data preparation, the real-value accounting and the cross-validation folds that the HTTP tests rely on, checked exactly. */
class SeriesPreparationTest {

    private static final double NA = Double.NaN;

    @Test
    void gapsAreInterpolatedLinearlyAndEndsTakeTheNearestValue() {
        double[][] rows = {{NA}, {1}, {NA}, {NA}, {4}, {NA}};
        Fill.LINEAR.apply(rows, "dataset", List.of("x"));
        assertThat(rows).isDeepEqualTo(new double[][] {{1}, {1}, {2}, {3}, {4}, {4}});
        assertThatThrownBy(() -> Fill.LINEAR.apply(new double[][] {{NA}, {NA}}, "dataset", List.of("x")))
                .isInstanceOf(Failure.class)
                .hasMessageContaining("'x' has no value at all");
    }

    @Test
    void scalingIsFittedOnTheTrainingPartOnly() {
        double[][] rows = {{1, 5}, {2, 5}, {3, 5}, {1000, 5}};
        Scaling scaling = Scaling.fit(List.<double[][]>of(rows), new int[] {3});
        assertThat(scaling.mean()).containsExactly(2, 5);
        assertThat(scaling.std()[0]).isEqualTo(Math.sqrt(2.0 / 3));
        assertThat(scaling.std()[1]).isEqualTo(1);
        assertThat(scaling.unscale(0, scaling.scale(0, 7))).isCloseTo(7, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void eachPartCountsItsRealValuesAndTheThresholdIsConfigurable() {
        double[][] columns = {{1, NA, 3, NA, NA, 6, 7, NA, 9, 10}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
        Splits splits = Splits.count(columns, 6, 8);
        assertThat(splits.train()).isEqualTo(new Splits.Part(6, 12, 9));
        assertThat(splits.validation()).isEqualTo(new Splits.Part(2, 4, 3));
        assertThat(splits.test()).isEqualTo(new Splits.Part(2, 4, 4));

        double[][] sparse = {{NA, 1, NA, NA, 2, NA, NA, 3, NA, 4}};
        Splits.refuseMadeUp(sparse, List.of("x"), "dataset.values", 6, 8, 0.6);
        assertThatThrownBy(() -> Splits.refuseMadeUp(sparse, List.of("x"), "dataset.values", 6, 8, 0.5))
                .isInstanceOfSatisfying(Failure.class, e -> {
                    assertThat(e.kind()).isEqualTo(Failure.Kind.UNPROCESSABLE);
                    assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("dataset.values");
                        assertThat(error.message()).contains("'x' has 6 of 10 values missing (60.0 %); at most 50 %");
                    });
                });
        double[][] emptyTest = {{1, 2, 3, 4, 5, 6, 7, 8, NA, NA}};
        assertThatThrownBy(() -> Splits.refuseMadeUp(emptyTest, List.of("x"), "dataset.column", 6, 8, 1.0))
                .isInstanceOf(Failure.class)
                .hasMessageContaining("'x' has no real values in the test part (steps 8..9 of 10)");
        Splits.refuseMadeUp(new double[][] {{1, 2, 3, 4, 5, 6, 7, 8}}, List.of("x"), "dataset.column", 6, 8, 0);
    }

    @Test
    void rollingOriginFoldsGrowTheirTrainingPart() {
        assertThat(LearningTask.folds(100, 3)).isDeepEqualTo(new int[][] {{25, 50}, {50, 75}, {75, 100}});
        assertThat(LearningTask.folds(10, 2)).isDeepEqualTo(new int[][] {{3, 6}, {6, 10}});
    }
}
