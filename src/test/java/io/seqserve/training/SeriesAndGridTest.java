package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** The data preparation and search bookkeeping that the HTTP tests rely on, checked exactly. */
class SeriesAndGridTest {

    private static final double NA = Double.NaN;

    @Test
    void gapsAreInterpolatedLinearlyAndEndsTakeTheNearestValue() {
        assertThat(Series.interpolate(new double[] {NA, 1, NA, NA, 4, NA}, "x")).containsExactly(1, 1, 2, 3, 4, 4);
        assertThatThrownBy(() -> Series.interpolate(new double[] {NA, NA}, "x")).isInstanceOf(Failure.class)
                .hasMessageContaining("'x' has no values");
    }

    @Test
    void scalingIsFittedOnTheTrainingPartOnly() {
        Series series = Series.of(new double[][] {{1, 2, 3, 1000}, {5, 5, 5, 5}}, 0, List.of("a", "b"));
        Series.Scaling scaling = series.fitScaling(3);
        assertThat(scaling.mean()).containsExactly(2, 5);
        assertThat(scaling.std()[0]).isEqualTo(Math.sqrt(2.0 / 3));
        assertThat(scaling.std()[1]).isEqualTo(1);
        assertThat(scaling.unscale(scaling.scale(7, 0), 0)).isCloseTo(7, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void theGridIsEveryCombinationInAFixedOrder() {
        TrainingRequest.Search search = new TrainingRequest.Search(List.of(0.1, 0.01), List.of(4, 8), null, null, List.of("gru"),
                null, null, null, null, null, 3);
        assertThat(Hyper.gridSize(search)).isEqualTo(4);
        assertThat(Hyper.grid(search)).containsExactly(
                Map.of("cell", "gru", "hidden_size", 4, "learning_rate", 0.1),
                Map.of("cell", "gru", "hidden_size", 4, "learning_rate", 0.01),
                Map.of("cell", "gru", "hidden_size", 8, "learning_rate", 0.1),
                Map.of("cell", "gru", "hidden_size", 8, "learning_rate", 0.01));
        Hyper base = new Hyper("lstm", 32, 1, 0, false, 16, 0.005, 24, 0, 0);
        assertThat(base.with(Hyper.grid(search).get(3))).isEqualTo(new Hyper("gru", 8, 1, 0, false, 16, 0.01, 24, 0, 0));
    }

    @Test
    void rollingOriginFoldsGrowTheirTrainingPart() {
        assertThat(Problem.folds(100, 3)).isDeepEqualTo(new int[][] {{25, 50}, {50, 75}, {75, 100}});
        assertThat(Problem.folds(10, 2)).isDeepEqualTo(new int[][] {{3, 6}, {6, 10}});
    }

    @Test
    void everyEpochHasItsOwnReproducibleOrder() {
        assertThat(EpochLoop.order(50, 7, 3)).isEqualTo(EpochLoop.order(50, 7, 3)).isNotEqualTo(EpochLoop.order(50, 7, 4));
        assertThat(EpochLoop.order(50, 7, 3)).containsExactlyInAnyOrder(EpochLoop.order(50, 8, 3));
    }
}
