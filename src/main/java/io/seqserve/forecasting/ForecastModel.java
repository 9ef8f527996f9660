package io.seqserve.forecasting;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.TensorSpec;
import java.util.Arrays;

/**
 * How to forecast with one model version: its manifest's forecasting block, completed from the signature.
 * Input {@code [-1, W, F]} (or {@code [-1, W]} without a feature axis, or {@code [-1, -1, F]} for any length);
 * output {@code [-1, 1]} or {@code [-1]} (next step) or {@code [-1, H]} (H steps at once).
 *
 * @param window       history steps per input; 0 feeds the whole history (variable-length model, no window set)
 * @param modelHorizon steps a multi-horizon model returns (0: learnt from its first output); 1 for next-step
 * @param bounds       the range means and intervals are clipped to ({@link Bounds#NONE}: none)
 */
record ForecastModel(
        String name,
        long version,
        DataType dtype,
        boolean featureAxis,
        int window,
        int features,
        int targetIndex,
        boolean multiHorizon,
        int modelHorizon,
        Scaler scaler,
        Fill fill,
        Conformal conformal,
        Bounds bounds) {

    static ForecastModel of(ModelVersion v, ForecastingProperties properties) {
        if (!"forecasting".equals(v.task())) {
            throw Failure.of(
                    Failure.Code.WRONG_TASK,
                    "model '" + v.name() + "' version " + v.version() + " has task '" + v.task()
                            + "'; forecasting needs 'task: forecasting' in its seqserve.yaml");
        }
        ForecastingSpec block = ForecastingSpec.of(v.manifest().forecasting());
        if (v.signature().inputs().size() != 1 || v.signature().outputs().size() != 1) {
            throw unusable(
                    v,
                    "forecasting models take one input and return one output; this one has "
                            + v.signature().inputs() + " -> " + v.signature().outputs());
        }
        TensorSpec in = v.signature().inputs().get(0);
        if (in.dtype() != DataType.FLOAT32 && in.dtype() != DataType.FLOAT64) {
            throw unusable(v, "input " + in + " is not float32 or float64");
        }
        long[] shape = in.hasShape() ? in.shape() : new long[] {-1, -1, -1};
        if (shape.length < 2 || shape.length > 3 || shape[0] != -1) {
            throw unusable(
                    v,
                    "input " + in + " is not [batch, window, features] or [batch, window] with a free batch dimension");
        }
        int features = features(v, block, shape);
        int window = window(v, block, shape, properties);
        int target = block.targetIndex() == null ? 0 : block.targetIndex();
        if (target >= features) {
            throw unusable(v, "target_index " + target + " is not below features " + features);
        }
        int outputSteps = outputSteps(v, v.signature().outputs().get(0));
        boolean multi =
                ForecastingSpec.MULTI_HORIZON.equals(block.output()) || block.output() == null && outputSteps > 1;
        if (!multi && outputSteps > 1) {
            throw unusable(
                    v,
                    "the manifest says next_step but the output "
                            + v.signature().outputs().get(0) + " holds " + outputSteps + " steps");
        }
        if (multi && block.horizon() != null && outputSteps > 0 && block.horizon() != outputSteps) {
            throw unusable(
                    v,
                    "the manifest's horizon " + block.horizon() + " differs from the output's " + outputSteps
                            + " steps");
        }
        int modelHorizon = !multi ? 1 : outputSteps > 0 ? outputSteps : block.horizon() == null ? 0 : block.horizon();
        Scaler scaler;
        try {
            scaler = Scaler.of(block.scaling(), features);
        } catch (IllegalArgumentException e) {
            throw unusable(v, e.getMessage());
        }
        Fill fill = block.fill() == null ? Fill.LINEAR : Fill.find(block.fill());
        return new ForecastModel(
                v.name(),
                v.version(),
                in.dtype(),
                shape.length == 3,
                window,
                features,
                target,
                multi,
                modelHorizon,
                scaler,
                fill,
                Conformal.of(block.residuals()),
                block.bounds() == null ? Bounds.NONE : block.bounds());
    }

    /** Shortest history a series must have. */
    int minHistory() {
        return Math.max(window, 1);
    }

    /** Forward passes a forecast of {@code horizon} needs per input length. */
    int steps(int horizon) {
        return multiHorizon ? 1 : horizon;
    }

    void checkHorizon(int horizon) {
        if (multiHorizon && modelHorizon > 0 && horizon > modelHorizon) {
            throw Failure.of(
                    Failure.Code.HORIZON_TOO_LONG,
                    "horizon",
                    "model '" + name + "' forecasts " + modelHorizon + " steps at once; ask for at most "
                            + modelHorizon);
        }
        if (!multiHorizon && features > 1 && horizon > 1) {
            throw Failure.unprocessable(
                    "horizon",
                    "model '" + name + "' forecasts one step from " + features
                            + " features; a longer horizon would need future values of the other features (covariates), "
                            + "which seqserve does not guess: ask for horizon 1");
        }
    }

    /**
     * The series as the model reads it: the right width, long enough ({@code minLength} values, at least
     * the window), gaps filled by the request's fill or else the model's.
     */
    Series prepare(Series series, Fill requested, int minLength) {
        if (series.width() != features) {
            throw Failure.unprocessable(
                    series.field() + ".values",
                    "rows hold " + series.width() + " values but model '" + name + "' reads " + features
                            + " features per step");
        }
        int needed = Math.max(minLength, minHistory());
        if (series.length() < needed) {
            throw Failure.of(
                    Failure.Code.SERIES_TOO_SHORT,
                    series.field() + ".values",
                    "has " + series.length() + " values; "
                            + (needed == minHistory()
                                    ? "model '" + name + "' reads a window of " + window
                                    : "this request needs at least " + needed));
        }
        return series.filled(requested == null ? fill : requested, targetIndex);
    }

    private static int features(ModelVersion v, ForecastingSpec block, long[] shape) {
        long declared = shape.length == 3 ? shape[2] : 1;
        if (block.features() != null && declared > 0 && block.features() != declared) {
            throw unusable(v, "the manifest says " + block.features() + " features but the input takes " + declared);
        }
        return block.features() != null ? block.features() : (int) Math.max(declared, 1);
    }

    private static int window(ModelVersion v, ForecastingSpec block, long[] shape, ForecastingProperties properties) {
        if (shape[1] > 0) {
            if (block.window() != null && block.window() != shape[1]) {
                throw unusable(
                        v,
                        "the manifest says window " + block.window() + " but the input takes " + shape[1] + " steps");
            }
            return (int) shape[1];
        }
        return block.window() != null ? block.window() : properties.defaultWindow();
    }

    /** Steps per row the output holds: 1 for [-1] and [-1, 1], H for [-1, H], 0 when not fixed. */
    private static int outputSteps(ModelVersion v, TensorSpec out) {
        if (!out.hasShape()) {
            return 0;
        }
        long[] s = out.shape();
        if (s.length == 1) {
            return 1;
        }
        if (s.length != 2) {
            throw unusable(
                    v,
                    "output " + out.name() + " " + Arrays.toString(s) + " is not a forecast: forecasting "
                            + "models return [batch, 1], [batch] or [batch, horizon]; a rank-" + s.length
                            + " output (e.g. a distribution over classes per step) cannot be read as future values");
        }
        return (int) Math.max(s[1], 0);
    }

    private static Failure unusable(ModelVersion v, String reason) {
        return Failure.unprocessable("model '" + v.name() + "' version " + v.version() + " cannot forecast: " + reason);
    }
}
