package io.seqserve.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.DataType;
import io.seqserve.runtime.HostTensor;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The layout of variables onto input features, and the recursion over windows, against plain functions standing
 * in for models: which value sits where, which time each covariate comes from, what is fed back.
 */
class LayoutRolloutTest {

    private static final Variable A = new Variable("a", Variable.Role.TARGET, 10, 2);
    private static final Variable B = Variable.unscaled("b", Variable.Role.TARGET);
    private static final Variable P = Variable.unscaled("p", Variable.Role.PAST);
    private static final Variable C = Variable.unscaled("c", Variable.Role.FUTURE);

    /** Rows of (a, b, c) at t = 0..n-1: a = 10 + 2t, b = t, c = 100 t. */
    private static double[][] abc(int n) {
        double[][] rows = new double[n][];
        for (int t = 0; t < n; t++) {
            rows[t] = new double[] {10 + 2 * t, t, 100 * t};
        }
        return rows;
    }

    @Test
    void inputRowsHoldTargetsAndPastOfTheirTimeAndFutureCovariatesAndCalendarOfTheLead() {
        Layout layout =
                Layout.of(List.of(A, P, C, B), List.of(), List.of(Calendar.MONTH), "month", List.of("x", "y"), 1);
        // Variables are reordered: targets, past, future.
        assertThat(layout.variables()).containsExactly(A, B, P, C);
        assertThat(layout.features()).isEqualTo(4 + 2 + 2);
        double[][] values = {{10, 0, 7, 100}, {12, 1, 8, 200}, {14, 2, 9, 300}};
        Frame frame = new Frame(
                values,
                new double[][] {{400}, {500}},
                new Timeline(LocalDateTime.of(2024, 1, 1, 0, 0), "month"),
                Frame.NO_STATICS,
                "y");
        double[][] rows = layout.rows(frame, 0, 4, 2);
        // t = 1: a scaled, b, p, c of t + 1, month of February, id y.
        assertThat(rows[1][0]).isEqualTo(1);
        assertThat(rows[1][1]).isEqualTo(1);
        assertThat(rows[1][2]).isEqualTo(8);
        assertThat(rows[1][3]).isEqualTo(300);
        assertThat(rows[1][4]).isCloseTo(Math.sin(2 * Math.PI * 2 / 12), within(1e-12));
        assertThat(rows[1][5]).isCloseTo(Math.cos(2 * Math.PI * 2 / 12), within(1e-12));
        assertThat(new double[] {rows[1][6], rows[1][7]}).containsExactly(0, 1);
        // From t = known on, targets and past covariates are unknown; c of t + 1 comes from the future rows.
        assertThat(rows[2][0]).isNaN();
        assertThat(rows[2][2]).isNaN();
        assertThat(rows[2][3]).isEqualTo(400);
        assertThat(rows[3][3]).isEqualTo(500);
        assertThat(layout.rows(frame, 4, 5, 2)[0][3]).isNaN();
    }

    /** Runs every pass of a rollout through {@code model} (one row of inputs -> its outputs). */
    private static double[][][] run(Rollout rollout, Function<float[], float[]> model) {
        for (int k = 0; k < rollout.passes(); k++) {
            for (Rollout.Pass pass : rollout.inputs(k)) {
                HostTensor x = pass.input();
                int rows = (int) x.dim(0);
                float[] all = x.toFloatArray();
                int width = all.length / rows;
                float[] out = null;
                for (int r = 0; r < rows; r++) {
                    float[] row = new float[width];
                    System.arraycopy(all, r * width, row, 0, width);
                    float[] y = model.apply(row);
                    if (out == null) {
                        out = new float[rows * y.length];
                    }
                    System.arraycopy(y, 0, out, r * y.length, y.length);
                }
                rollout.take(pass, k, HostTensor.ofFloats(new long[] {rows, out.length / rows}, out));
            }
        }
        return rollout.means();
    }

    @Test
    void aNextStepModelForecastsEveryTargetFeedingThemBackWithTheSuppliedFutureCovariates() {
        Layout layout = Layout.of(List.of(A, B, C), List.of(), List.of(), null, List.of(), 1);
        Frame frame = new Frame(abc(3), new double[][] {{1000}, {2000}, {3000}}, null, Frame.NO_STATICS, "s");
        Rollout rollout = new Rollout(
                "m",
                layout,
                new Rollout.Shape(2, false, 1, DataType.FLOAT32, true),
                List.of(new Rollout.Origin(frame, 3)),
                3);
        // Scaled a' = last scaled a + 1 (i.e. +2 in units); b' = last b + c of the row (the covariate of the step).
        double[][][] means = run(rollout, row -> new float[] {row[3] + 1, row[4] + row[5]});
        assertThat(means[0][0]).containsExactly(16, 18, 20);
        assertThat(means[0][1]).containsExactly(2 + 1000, 1002 + 2000, 3002 + 3000);
    }

    @Test
    void aNextStepModelIsFedItsForecastsWithinTheSeriesRangeAsTheyAreAnswered() {
        Layout layout = Layout.of(List.of(A), List.of(), List.of(), null, List.of(), 1);
        Frame frame = new Frame(new double[][] {{14}, {12}}, Frame.NO_FUTURE, null, Frame.NO_STATICS, "s");
        Rollout.Shape shape = new Rollout.Shape(1, false, 1, DataType.FLOAT32, true);
        // Scaled a' = a - 4 (i.e. -8 in units): 12 -> 4 -> -4 -> -12 unbounded.
        Function<float[], float[]> down = row -> new float[] {row[0] - 4};
        assertThat(run(new Rollout("m", layout, shape, List.of(new Rollout.Origin(frame, 2)), 3), down)[0][0])
                .containsExactly(4, -4, -12);
        // Within [0, inf): 12 -> 4 -> 0, and 0 (not -4) is fed back, so the next step is 0 - 8 -> 0 again, not -12.
        Rollout bounded =
                new Rollout("m", layout, shape, List.of(new Rollout.Origin(frame, 2)), 3, v -> Math.max(0, v));
        assertThat(run(bounded, down)[0][0]).containsExactly(4, 0, 0);
        assertThat(bounded.inputs(2).get(0).input().toFloatArray()).containsExactly((0 - 10) / 2f);
    }

    @Test
    void aBacktestOriginReadsTheKnownCovariatesAfterItsCutoffButNeverTheTargets() {
        Layout layout = Layout.of(List.of(B, C), List.of(), List.of(), null, List.of(), 1);
        double[][] values = {{0, 0}, {1, 100}, {2, 200}, {3, 300}, {4, 400}};
        Frame frame = new Frame(values, Frame.NO_FUTURE, null, Frame.NO_STATICS, "s");
        Rollout rollout = new Rollout(
                "m",
                layout,
                new Rollout.Shape(1, false, 1, DataType.FLOAT32, true),
                List.of(new Rollout.Origin(frame, 2)),
                3);
        double[][][] means = run(rollout, row -> new float[] {row[0] + row[1]});
        assertThat(means[0][0]).containsExactly(1 + 200, 201 + 300, 501 + 400);
    }

    @Test
    void aCovariateValueNobodyGaveOrAPastCovariateBeyondNowStopsTheRolloutBeforeAnyPass() {
        Layout future = Layout.of(List.of(B, C), List.of(), List.of(), null, List.of(), 1);
        Frame frame = new Frame(new double[][] {{0, 0}, {1, 100}}, new double[][] {{200}}, null, Frame.NO_STATICS, "s");
        Rollout.Shape shape = new Rollout.Shape(1, false, 1, DataType.FLOAT32, true);
        new Rollout("m", future, shape, List.of(new Rollout.Origin(frame, 2)), 1);
        assertThatThrownBy(() -> new Rollout("m", future, shape, List.of(new Rollout.Origin(frame, 2)), 2))
                .isInstanceOfSatisfying(Rollout.Unknown.class, e -> {
                    assertThat(e.time()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("'c'");
                });
        Layout past = Layout.of(List.of(B, P), List.of(), List.of(), null, List.of(), 1);
        Frame pastFrame = new Frame(new double[][] {{0, 5}, {1, 6}}, Frame.NO_FUTURE, null, Frame.NO_STATICS, "s");
        new Rollout("m", past, shape, List.of(new Rollout.Origin(pastFrame, 2)), 1);
        assertThatThrownBy(() -> new Rollout("m", past, shape, List.of(new Rollout.Origin(pastFrame, 2)), 2))
                .isInstanceOf(Rollout.Unknown.class)
                .hasMessageContaining("'p'");
    }

    @Test
    void aMultiHorizonModelOfSeveralTargetsAnswersStepMajorInOnePassReadingTheHorizonsCovariates() {
        // Lead 2 = the horizon: the last two rows of the window carry c at t + 1 and t + 2.
        Layout layout = Layout.of(List.of(A, B, C), List.of(), List.of(), null, List.of(), 2);
        Frame frame = new Frame(abc(4), new double[][] {{400}, {500}}, null, Frame.NO_STATICS, "s");
        Rollout rollout = new Rollout(
                "m",
                layout,
                new Rollout.Shape(3, true, 2, DataType.FLOAT32, true),
                List.of(new Rollout.Origin(frame, 4)),
                2);
        assertThat(rollout.passes()).isEqualTo(1);
        // [h][target]: a (scaled) = h, b = the covariate of step h.
        double[][][] means = run(rollout, row -> new float[] {0, row[5], 1, row[8]});
        assertThat(means[0][0]).containsExactly(10, 12);
        assertThat(means[0][1]).containsExactly(400, 500);
    }

    @Test
    void timelinesStepByCalendarUnitsAndTimestampsParseInTheUsualForms() {
        Timeline monthly = new Timeline(Timeline.parse("2024-01-31"), "month");
        assertThat(monthly.at(1)).isEqualTo(LocalDateTime.of(2024, 2, 29, 0, 0));
        assertThat(monthly.at(2)).isEqualTo(LocalDateTime.of(2024, 3, 31, 0, 0));
        assertThat(new Timeline(Timeline.parse("2024-03-01T22:00Z"), "PT1H").at(3))
                .isEqualTo(LocalDateTime.of(2024, 3, 2, 1, 0));
        assertThat(Timeline.parse("1972Q2")).isEqualTo(LocalDateTime.of(1972, 4, 1, 0, 0));
        assertThat(Timeline.parse("1969-07")).isEqualTo(LocalDateTime.of(1969, 7, 1, 0, 0));
        assertThat(Timeline.infer(Timeline.parse("1972Q2"), Timeline.parse("1972Q3")))
                .isEqualTo("quarter");
        assertThat(Timeline.infer(Timeline.parse("2024-01-01"), Timeline.parse("2024-01-02")))
                .isEqualTo("day");
        assertThat(Timeline.infer(Timeline.parse("2024-01-01T00:00"), Timeline.parse("2024-01-01T01:00")))
                .isEqualTo("hour");
        assertThatThrownBy(() -> Timeline.parse("yesterday")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timeline.step("fortnight")).hasMessageContaining("PT15M");
        assertThat(Calendar.DAY_OF_WEEK.sin(LocalDateTime.of(2024, 1, 1, 0, 0))).isEqualTo(0);
        assertThat(Calendar.HOUR.cos(LocalDateTime.of(2024, 1, 1, 12, 0))).isCloseTo(-1, within(1e-12));
    }
}
