package io.seqserve.training.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The data preparation and the cross-validation folds that the HTTP tests rely on, checked exactly. */
class SeriesPreparationTest {

    private static final double NA = Double.NaN;

    @Test
    void gapsAreInterpolatedLinearlyAndEndsTakeTheNearestValue() {
        assertThat(CleanedSeries.interpolate(new double[] {NA, 1, NA, NA, 4, NA}, "x")).containsExactly(1, 1, 2, 3, 4, 4);
        assertThatThrownBy(() -> CleanedSeries.interpolate(new double[] {NA, NA}, "x")).isInstanceOf(Failure.class)
                .hasMessageContaining("'x' has no values");
    }

    @Test
    void scalingIsFittedOnTheTrainingPartOnly() {
        CleanedSeries series = CleanedSeries.of(new double[][] {{1, 2, 3, 1000}, {5, 5, 5, 5}}, 0, List.of("a", "b"));
        CleanedSeries.Scaling scaling = series.fitScaling(3);
        assertThat(scaling.mean()).containsExactly(2, 5);
        assertThat(scaling.std()[0]).isEqualTo(Math.sqrt(2.0 / 3));
        assertThat(scaling.std()[1]).isEqualTo(1);
        assertThat(scaling.unscale(scaling.scale(7, 0), 0)).isCloseTo(7, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void rollingOriginFoldsGrowTheirTrainingPart() {
        assertThat(LearningTask.folds(100, 3)).isDeepEqualTo(new int[][] {{25, 50}, {50, 75}, {75, 100}});
        assertThat(LearningTask.folds(10, 2)).isDeepEqualTo(new int[][] {{3, 6}, {6, 10}});
    }
}
