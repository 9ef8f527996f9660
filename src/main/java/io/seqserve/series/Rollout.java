package io.seqserve.series;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.runtime.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * One forecast of many origins, as a sequence of forward passes: the recursion over a window, free of any
 * engine or thread. A caller asks for the inputs of pass {@code k} ({@link #inputs}), runs them however it runs
 * models, and hands each output back ({@link #take}); a next-step model's forecasts of all targets are then
 * written into the next rows (the future covariates there are already known), a multi-horizon model answers in
 * one pass. Serving drives it asynchronously over worker queues ({@code forecasting.Forecaster}), training
 * synchronously over the trained block (its validation residuals and test metrics), so both forecast alike.
 *
 * <p>All rows of one pass have the same input length: one pass per step for fixed-window models, one per
 * distinct length for variable-length models (window 0), which read the whole history.
 */
public final class Rollout {

    /**
     * A model's input and output.
     *
     * @param window       input steps; 0 for a variable-length model fed the whole history
     * @param multiHorizon true when one pass returns {@code modelHorizon} steps ({@code [B, H]} or {@code [B, H, T]})
     * @param modelHorizon steps a multi-horizon model returns (0: not fixed; at least the horizon asked for)
     * @param featureAxis  false for a {@code [B, W]} input without a feature axis
     */
    public record Shape(int window, boolean multiHorizon, int modelHorizon, DataType dtype, boolean featureAxis) {}

    /** A forecast from {@code frame}'s values before {@code end}. */
    public record Origin(Frame frame, int end) {}

    /** The input of one forward pass and the origins whose rows it holds, in order. */
    public record Pass(List<Integer> origins, HostTensor input) {}

    /** An input value nobody gave: a future covariate beyond the values and future rows of origin {@code origin}. */
    public static final class Unknown extends RuntimeException {
        private final int origin;
        private final int time;

        Unknown(int origin, int time, String feature) {
            super("'" + feature + "' at time " + time + " is not known", null, false, false);
            this.origin = origin;
            this.time = time;
        }

        public int origin() {
            return origin;
        }

        public int time() {
            return time;
        }
    }

    private final Layout layout;
    private final List<Variable> targets;
    private final Shape shape;
    private final String model;
    private final int horizon;
    private final double[][][] rows;
    private final int[] start;
    private final double[][][] means;
    private final DoubleUnaryOperator range;

    /** A rollout whose forecasts may take any value. */
    public Rollout(String model, Layout layout, Shape shape, List<Origin> origins, int horizon) {
        this(model, layout, shape, origins, horizon, DoubleUnaryOperator.identity());
    }

    /**
     * @param model the model's name, for errors
     * @param range the range a forecast can take, in the series' units (the manifest's bounds): a next-step
     *     model is fed its forecasts within it, as it answers them, never a value the series cannot take
     * @throws Unknown when an input the passes need is not known (checked before any pass runs)
     */
    public Rollout(
            String model, Layout layout, Shape shape, List<Origin> origins, int horizon, DoubleUnaryOperator range) {
        this.model = model;
        this.range = range;
        this.layout = layout;
        this.targets = layout.targets();
        this.shape = shape;
        this.horizon = horizon;
        int n = origins.size();
        this.rows = new double[n][][];
        this.start = new int[n];
        this.means = new double[n][layout.targetCount()][horizon];
        for (int r = 0; r < n; r++) {
            Origin o = origins.get(r);
            int first = shape.window() > 0 ? o.end() - shape.window() : 0;
            int last = o.end() + passes() - 1;
            rows[r] = layout.rows(o.frame(), first, last, o.end());
            start[r] = o.end() - first;
            requireKnown(r, first);
        }
    }

    /** Forward passes per input length: the horizon for a next-step model, 1 for a multi-horizon one. */
    public int passes() {
        return shape.multiHorizon() ? 1 : horizon;
    }

    /** The forecasts, {@code [origin][target][step]}, in the series' units (complete once every pass was taken). */
    public double[][][] means() {
        return means;
    }

    /** Every value the passes read but do not forecast themselves must be known. */
    private void requireKnown(int r, int first) {
        boolean[] fed = new boolean[layout.features()];
        for (int j = 0; j < layout.targetCount(); j++) {
            if (layout.targetSlot(j) >= 0) {
                fed[layout.targetSlot(j)] = !shape.multiHorizon();
            }
        }
        for (int t = 0; t < rows[r].length; t++) {
            for (int i = 0; i < fed.length; i++) {
                if (Double.isNaN(rows[r][t][i]) && !(t >= start[r] && fed[i])) {
                    throw new Unknown(r, first + t, layout.slotName(i));
                }
            }
        }
    }

    /** The inputs of pass {@code k}: one per input length. */
    public List<Pass> inputs(int k) {
        Map<Integer, List<Integer>> byLength = new TreeMap<>();
        for (int r = 0; r < rows.length; r++) {
            byLength.computeIfAbsent(shape.window() > 0 ? shape.window() : start[r] + k, l -> new ArrayList<>())
                    .add(r);
        }
        List<Pass> passes = new ArrayList<>();
        byLength.forEach((length, origins) -> passes.add(new Pass(origins, tensor(origins, k, length))));
        return passes;
    }

    private HostTensor tensor(List<Integer> origins, int k, int length) {
        int f = layout.features();
        boolean doubles = shape.dtype() == DataType.FLOAT64;
        ByteBuffer buffer = ByteBuffer.allocateDirect(origins.size() * length * f * (doubles ? 8 : 4))
                .order(ByteOrder.nativeOrder());
        for (int r : origins) {
            int from = start[r] + k - length;
            for (int t = from; t < from + length; t++) {
                for (double value : rows[r][t]) {
                    if (doubles) {
                        buffer.putDouble(value);
                    } else {
                        buffer.putFloat((float) value);
                    }
                }
            }
        }
        buffer.flip();
        long[] dims =
                shape.featureAxis() ? new long[] {origins.size(), length, f} : new long[] {origins.size(), length};
        return new HostTensor(shape.dtype(), dims, buffer);
    }

    /**
     * Takes the output of one pass of step {@code k}: {@code T} values per row for a next-step model, {@code H x T}
     * (step-major) for a multi-horizon one. INTERNAL when the model breaks the shape it declared, ENGINE when it
     * returns a non-finite value from finite inputs.
     */
    public void take(Pass pass, int k, HostTensor output) {
        List<Integer> origins = pass.origins();
        int targets = this.targets.size();
        long perRow = output.size() / origins.size();
        boolean fits = output.size() == perRow * origins.size()
                && perRow % targets == 0
                && (shape.multiHorizon()
                        ? perRow >= (long) horizon * targets
                                && (shape.modelHorizon() == 0 || perRow == (long) shape.modelHorizon() * targets)
                        : perRow == targets);
        if (!fits) {
            // The output shape was checked at load, so this model breaks its own contract: not the caller's fault.
            throw Failure.internal("model '" + model + "' returned " + output.size() + " values for " + origins.size()
                    + " rows; expected " + (shape.multiHorizon() ? "at least " + horizon * targets : targets)
                    + " per row");
        }
        for (int i = 0; i < origins.size(); i++) {
            int r = origins.get(i);
            for (int h = 0; h < (shape.multiHorizon() ? horizon : 1); h++) {
                for (int j = 0; j < targets; j++) {
                    double value = output.getDouble(i * perRow + (long) h * targets + j);
                    if (!Double.isFinite(value)) {
                        throw Failure.engine(
                                "model '" + model + "' produced a non-finite forecast from finite inputs", null);
                    }
                    Variable target = this.targets.get(j);
                    double mean = target.unscale(value);
                    double bounded = range.applyAsDouble(mean);
                    means[r][j][shape.multiHorizon() ? h : k] = bounded;
                    int slot = layout.targetSlot(j);
                    if (!shape.multiHorizon() && slot >= 0 && start[r] + k < rows[r].length) {
                        rows[r][start[r] + k][slot] = bounded == mean ? value : target.scale(bounded);
                    }
                }
            }
        }
    }
}
