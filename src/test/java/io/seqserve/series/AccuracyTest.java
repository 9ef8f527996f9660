package io.seqserve.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The error measures of a backtest, worked by hand. */
class AccuracyTest {

    @Test
    void maeRmseMapeAndSmapeOfAFewPoints() {
        Accuracy a = new Accuracy();
        a.add(10, 12); // error 2
        a.add(20, 16); // error 4
        a.add(-5, -5); // error 0
        Accuracy.Scores s = a.scores(0.5);
        assertThat(s.points()).isEqualTo(3);
        assertThat(s.mae()).isCloseTo(2.0, within(1e-12));
        assertThat(s.rmse()).isCloseTo(Math.sqrt((4 + 16 + 0) / 3.0), within(1e-12));
        assertThat(s.mape()).isCloseTo(100 * (0.2 + 0.2 + 0) / 3, within(1e-9));
        assertThat(s.smape()).isCloseTo(100 * (2 * 2 / 22.0 + 2 * 4 / 36.0 + 0) / 3, within(1e-9));
        assertThat(s.mase()).isEqualTo(0.5);
        assertThat(s.coverage()).isNull();
    }

    @Test
    void zeroActualsAreLeftOutOfMapeAndZeroPairsOutOfSmape() {
        Accuracy a = new Accuracy();
        a.add(0, 0);
        a.add(0, 3);
        Accuracy.Scores s = a.scores(null);
        assertThat(s.mape()).as("no non-zero actual").isNull();
        assertThat(s.smape()).as("only the pair (0, 3) counts: 2*3/3 = 200%").isCloseTo(200.0, within(1e-9));
        assertThat(s.mae()).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void coverageIsTheShareOfActualsInsideEachInterval() {
        Accuracy a = new Accuracy();
        a.add(1, 1);
        a.cover("80", true);
        a.cover("80", false);
        a.cover("95", true);
        a.cover("95", true);
        assertThat(a.scores(null).coverage()).containsEntry("80", 0.5).containsEntry("95", 1.0);
    }

    @Test
    void poolingAddsUpEverything() {
        Accuracy first = new Accuracy();
        first.add(10, 12);
        first.cover("80", true);
        Accuracy second = new Accuracy();
        second.add(20, 16);
        second.cover("80", false);
        Accuracy pooled = new Accuracy();
        pooled.addAll(first);
        pooled.addAll(second);
        assertThat(pooled.mae()).isCloseTo(3.0, within(1e-12));
        assertThat(pooled.scores(null).points()).isEqualTo(2);
        assertThat(pooled.scores(null).coverage()).containsEntry("80", 0.5);
    }

    @Test
    void anEmptyAccumulatorHasNoMae() {
        assertThat(new Accuracy().mae()).isNaN();
    }
}
