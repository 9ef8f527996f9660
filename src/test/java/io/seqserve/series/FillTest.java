package io.seqserve.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;
import org.junit.jupiter.api.Test;

/** How gaps ({@code NaN}) in a series are filled, feature by feature. */
class FillTest {

    private static final double N = Double.NaN;

    private static double[][] column(double... values) {
        double[][] rows = new double[values.length][];
        for (int t = 0; t < values.length; t++) {
            rows[t] = new double[] {values[t]};
        }
        return rows;
    }

    private static double[] first(double[][] rows) {
        double[] out = new double[rows.length];
        for (int t = 0; t < rows.length; t++) {
            out[t] = rows[t][0];
        }
        return out;
    }

    @Test
    void linearDrawsAStraightLineAcrossGapsAndHoldsTheEnds() {
        double[][] rows = column(N, 1, N, N, 4, N);
        Fill.LINEAR.apply(rows, "series[0]");
        assertThat(first(rows)).containsExactly(1, 1, 2, 3, 4, 4);
    }

    @Test
    void ffillCarriesTheLastKnownValueAndBackfillsTheStart() {
        double[][] rows = column(N, 2, N, N, 5, N);
        Fill.FFILL.apply(rows, "series[0]");
        assertThat(first(rows)).containsExactly(2, 2, 2, 2, 5, 5);
    }

    @Test
    void eachFeatureIsFilledOnItsOwn() {
        double[][] rows = {{1, N}, {N, 10}, {3, N}};
        Fill.LINEAR.apply(rows, "series[0]");
        assertThat(rows).isDeepEqualTo(new double[][] {{1, 10}, {2, 10}, {3, 10}});
    }

    @Test
    void errorRefusesAnyGapNamingIt() {
        assertThatThrownBy(() -> Fill.ERROR.apply(column(1, N, 3), "series[2]"))
                .isInstanceOfSatisfying(Failure.class, e -> {
                    assertThat(e.kind()).isEqualTo(Failure.Kind.UNPROCESSABLE);
                    assertThat(e.errors())
                            .singleElement()
                            .satisfies(f -> assertThat(f.field()).isEqualTo("series[2]"));
                    assertThat(e.getMessage()).contains("value 1 is null");
                });
    }

    @Test
    void aFeatureWithNoValueAtAllCannotBeFilled() {
        assertThatThrownBy(() -> Fill.LINEAR.apply(column(N, N), "series[0]"))
                .isInstanceOfSatisfying(
                        Failure.class, e -> assertThat(e.getMessage()).contains("no value at all"));
    }

    @Test
    void namesAreTheLowerCaseOnesTheApiTakes() {
        assertThat(Fill.NAMES).containsExactly("linear", "ffill", "error");
        assertThat(Fill.find("ffill")).isEqualTo(Fill.FFILL);
        assertThat(Fill.find("FFILL")).isNull();
        assertThatThrownBy(() -> Fill.of("spline"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("linear");
    }
}
