package io.seqserve.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Split conformal half-widths: the ceil((n+1)L/100)-th smallest residual of the step. */
class ConformalTest {

    /** Nineteen residuals 1..19 for step 1, four for step 2. */
    private static final Conformal CONFORMAL = Conformal.of(Map.of(
            "1",
                    List.of(
                            19.0, 3.0, 1.0, 2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0,
                            17.0, 18.0),
            "2", List.of(4.0, 1.0, 3.0, 2.0)));

    @Test
    void theHalfWidthIsTheConformalQuantileOfTheSortedResiduals() {
        // n = 19: 80% -> ceil(20 * 0.8) = 16th smallest; 95% -> ceil(20 * 0.95) = 19th; 50% -> 10th.
        assertThat(CONFORMAL.halfWidth(1, 80)).isEqualTo(new Conformal.HalfWidth(16, false));
        assertThat(CONFORMAL.halfWidth(1, 95)).isEqualTo(new Conformal.HalfWidth(19, false));
        assertThat(CONFORMAL.halfWidth(1, 50)).isEqualTo(new Conformal.HalfWidth(10, false));
    }

    @Test
    void tooFewResidualsForALevelUseTheLargestAndSaySo() {
        // n = 4: 95% -> ceil(5 * 0.95) = 5 > 4, clipped to the largest.
        assertThat(CONFORMAL.halfWidth(2, 95)).isEqualTo(new Conformal.HalfWidth(4, true));
        Set<String> warnings = new LinkedHashSet<>();
        CONFORMAL.halfWidth(2, 95, warnings);
        assertThat(warnings).singleElement().asString().contains("95% interval needs at least 19 residuals");
    }

    @Test
    void aStepWithoutResidualsHasNoBandAndAWarning() {
        Set<String> warnings = new LinkedHashSet<>();
        Map<String, Conformal.Band> bands = CONFORMAL.bands(new double[] {10, 20, 30}, List.of(80.0), warnings);
        Conformal.Band band = bands.get("80");
        assertThat(band.lower()).containsExactly(10.0 - 16, 20.0 - 4, null);
        assertThat(band.upper()).containsExactly(10.0 + 16, 20.0 + 4, null);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("steps [1, 2] only"));
    }

    @Test
    void levelsAreKeyedAsNixtlaDoes() {
        assertThat(Conformal.key(80)).isEqualTo("80");
        assertThat(Conformal.key(97.5)).isEqualTo("97.5");
    }

    @Test
    void residualsAreStoredPerStepRoundedToSevenDigits() {
        Map<String, List<Double>> stored =
                Conformal.toManifest(List.of(List.of(1.23456789, 2.0), List.of(0.000123456789)));
        assertThat(stored.keySet()).containsExactly("1", "2");
        assertThat(stored.get("1").get(0)).isCloseTo(1.234568, within(1e-12));
        assertThat(stored.get("2").get(0)).isCloseTo(0.0001234568, within(1e-16));
        assertThat(Conformal.of(stored).halfWidth(1, 50).width()).isEqualTo(2.0);
    }

    @Test
    void noResidualsMeansEmpty() {
        assertThat(Conformal.of(null).isEmpty()).isTrue();
        assertThat(Conformal.of(Map.of()).halfWidth(1, 80)).isNull();
    }
}
