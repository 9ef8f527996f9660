package io.seqserve.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared math checked exactly: scaling fitted on training parts, baselines, rolling origins, residuals. */
class SeriesMathTest {

    @Test
    void scalingPoolsTheTrainingPartsOfEverySeriesAndLeavesConstantColumnsUnscaled() {
        double[][] a = {{1, 7}, {3, 7}, {100, 7}};
        double[][] b = {{5, 7}, {1000, 7}};
        Scaling s = Scaling.fit(List.of(a, b), new int[] {2, 1});
        assertThat(s.mean()).containsExactly(3, 7);
        assertThat(s.std()[0]).isCloseTo(Math.sqrt(8.0 / 3), within(1e-12));
        assertThat(s.std()[1]).isEqualTo(1);
        assertThat(s.unscale(0, s.scale(0, 42))).isCloseTo(42, within(1e-12));
        assertThat(Scaling.none(2).scale(1, 5)).isEqualTo(5);
    }

    @Test
    void naiveRepeatsTheLastValueAndSeasonalNaiveTheSameSeasonOfTheLastFullSeason() {
        double[] y = {1, 2, 3, 4, 5, 6, 7};
        assertThat(Baselines.naive(y, 5)).isEqualTo(5);
        // Season 3, cutoff 5: steps 0, 1, 2, 3 repeat y[2], y[3], y[4], y[2].
        assertThat(Baselines.seasonalNaive(y, 5, 0, 3)).isEqualTo(3);
        assertThat(Baselines.seasonalNaive(y, 5, 2, 3)).isEqualTo(5);
        assertThat(Baselines.seasonalNaive(y, 5, 3, 3)).isEqualTo(3);
        assertThat(Baselines.seasonalNaive(y, 2, 0, 3)).isNaN();
        // |y[t] - y[t-2]| = 2 for t = 2..4, the pair (4, 2) not observed.
        assertThat(Baselines.seasonalScale(y, null, 2, 5)).isEqualTo(2);
        boolean[] observed = {true, true, false, true, true, true, true};
        assertThat(Baselines.seasonalScale(y, observed, 2, 5)).isEqualTo(2);
    }

    @Test
    void rollingOriginsEndWithTheSeriesAndEveryOriginFitsOnlyWhereItsHorizonDoes() {
        RollingOrigin o = new RollingOrigin(2, 3, 4);
        assertThat(o.cutoffs(20)).containsExactly(10, 14, 18);
        assertThat(o.length(5)).isEqualTo(5 + 2 + 8);
        RollingOrigin every = RollingOrigin.every(3, 10, 15);
        assertThat(every.cutoffs(15)).containsExactly(10, 11, 12);
        assertThat(RollingOrigin.every(3, 13, 15)).isNull();
    }

    @Test
    void residualsKeepTheLatestErrorsPerStepAndSkipStepsWithout() {
        Residuals r = new Residuals(3);
        r.add(0, 10, 7);
        r.add(0, 10, 12);
        r.add(0, 10, 10.5);
        r.add(1, 1, Double.NaN);
        r.add(2, 1, 2.123456789);
        assertThat(r.complete()).isFalse();
        Map<String, List<Double>> stored = r.toManifest(2);
        assertThat(stored.keySet()).containsExactly("1", "3");
        assertThat(stored.get("1")).containsExactly(2.0, 0.5);
        assertThat(stored.get("3")).containsExactly(1.123457);
    }
}
