package io.seqserve.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.series.Conformal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounds clip means and interval bounds; a missing interval bound stays missing. */
class BoundsTest {

    @Test
    void meansAndBandsAreClippedToTheRange() {
        Bounds bounds = new Bounds(0.0, 22.0);
        assertThat(bounds.clip(new double[] {-3, 10, 30, -0.0})).containsExactly(0, 10, 22, 0);
        Map<String, Conformal.Band> bands = bounds.clip(
                Map.of("80", new Conformal.Band(new Double[] {-6.0, 16.0, null}, new Double[] {26.0, 24.0, null})));
        assertThat(bands.get("80").lower()).containsExactly(0.0, 16.0, null);
        assertThat(bands.get("80").upper()).containsExactly(22.0, 22.0, null);
        assertThat(Bounds.NONE.clip(-5.0)).isEqualTo(-5.0);
    }
}
