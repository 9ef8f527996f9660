package io.seqserve.forecasting;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.TensorSpec;
import io.seqserve.series.Conformal;
import io.seqserve.series.Fill;
import io.seqserve.series.Layout;
import io.seqserve.series.Rollout;
import io.seqserve.series.Scaling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a version's forecasting block against its signature into a {@link ForecastModel}: the input's window and
 * features, the output's steps and targets, the variables' layout. Whatever does not fit is UNPROCESSABLE with
 * the reason, at load ({@link ForecastTaskCheck}) and on request.
 */
final class ForecastModelReader {

    private ForecastModelReader() {}

    static ForecastModel read(ModelVersion v, ForecastingProperties properties) {
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
        int window = window(v, block, shape, properties);
        int targets = block.named() ? block.targets().size() : 1;
        TensorSpec output = v.signature().outputs().get(0);
        int outputSteps = outputSteps(v, output, targets, ForecastingSpec.MULTI_HORIZON.equals(block.output()));
        boolean multi =
                ForecastingSpec.MULTI_HORIZON.equals(block.output()) || block.output() == null && outputSteps > 1;
        if (!multi && outputSteps > 1) {
            throw unusable(
                    v, "the manifest says next_step but the output " + output + " holds " + outputSteps + " steps");
        }
        if (multi && block.horizon() != null && outputSteps > 0 && block.horizon() != outputSteps) {
            throw unusable(
                    v,
                    "the manifest's horizon " + block.horizon() + " differs from the output's " + outputSteps
                            + " steps");
        }
        int modelHorizon = !multi ? 1 : outputSteps > 0 ? outputSteps : block.horizon() == null ? 0 : block.horizon();
        Layout layout;
        try {
            layout = block.named() ? named(v, block, multi, modelHorizon) : legacy(v, block, shape);
        } catch (IllegalArgumentException e) {
            throw unusable(v, e.getMessage());
        }
        long declared = shape.length == 3 ? shape[2] : 1;
        if (block.named()
                && (declared > 0 && layout.features() != declared || shape.length == 2 && layout.features() != 1)) {
            throw unusable(
                    v,
                    "the manifest's variables make " + layout.features() + " input features (" + featureNames(layout)
                            + ") but the input " + in + " takes " + declared);
        }
        if (block.features() != null && block.named() && block.features() != layout.features()) {
            throw unusable(
                    v,
                    "the manifest says features " + block.features() + " but its variables make " + layout.features());
        }
        Fill fill = block.fill() == null ? Fill.LINEAR : Fill.find(block.fill());
        return new ForecastModel(
                v.name(),
                v.version(),
                layout,
                new Rollout.Shape(window, multi, modelHorizon, in.dtype(), shape.length == 3),
                fill,
                block.targetResiduals().stream().map(Conformal::of).toList(),
                block.bounds() == null ? Bounds.NONE : block.bounds());
    }

    private static Layout legacy(ModelVersion v, ForecastingSpec block, long[] shape) {
        int features = features(v, block, shape);
        int target = block.targetIndex() == null ? 0 : block.targetIndex();
        if (target >= features) {
            throw unusable(v, "target_index " + target + " is not below features " + features);
        }
        return Layout.legacy(features, target, scaling(block.scaling(), features));
    }

    /** The named form's layout; a multi-horizon model's future covariates lead by its horizon unless it says. */
    private static Layout named(ModelVersion v, ForecastingSpec block, boolean multi, int modelHorizon) {
        boolean leads =
                block.futureCovariates() != null && !block.futureCovariates().isEmpty()
                        || block.calendar() != null && !block.calendar().isEmpty();
        if (multi && modelHorizon == 0 && block.futureLead() == null && leads) {
            throw unusable(
                    v,
                    "its output does not say how many steps it returns: give horizon (or future_lead) so that its "
                            + "future covariates can be placed");
        }
        return block.layout(multi ? modelHorizon : 1);
    }

    private static String featureNames(Layout layout) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layout.features(); i++) {
            names.add(layout.slotName(i));
        }
        return String.join(", ", names);
    }

    private static Scaling scaling(ForecastingSpec.Scaling scaling, int features) {
        if (scaling == null || "none".equals(scaling.method())) {
            return Scaling.none(features);
        }
        if (scaling.mean().size() != features) {
            throw new IllegalArgumentException(
                    "scaling has " + scaling.mean().size() + " entries for " + features + " features");
        }
        return new Scaling(
                scaling.mean().stream().mapToDouble(Double::doubleValue).toArray(),
                scaling.std().stream().mapToDouble(Double::doubleValue).toArray());
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

    /**
     * Steps per row the output holds for {@code targets} targets: 1 for {@code [-1]}, {@code [-1, 1]} and
     * (several targets one step ahead) {@code [-1, T]}; H for {@code [-1, H]} (one target) and {@code [-1, H, T]};
     * 0 when not fixed.
     */
    private static int outputSteps(ModelVersion v, TensorSpec out, int targets, boolean multi) {
        if (!out.hasShape()) {
            return 0;
        }
        long[] s = out.shape();
        if (s.length == 1) {
            if (targets > 1) {
                throw unusable(
                        v, "output " + out + " holds one value per row but the manifest has " + targets + " targets");
            }
            return 1;
        }
        if (s.length == 2 && targets > 1) {
            if (multi) {
                throw unusable(
                        v,
                        "a multi-horizon model of " + targets + " targets returns [batch, horizon, " + targets
                                + "]; the output is " + out);
            }
            if (s[1] > 0 && s[1] != targets) {
                throw unusable(
                        v,
                        "output " + out + " holds " + s[1] + " values per row but the manifest has " + targets
                                + " targets");
            }
            return 1;
        }
        if (s.length == 2) {
            return (int) Math.max(s[1], 0);
        }
        if (s.length != 3 || s[2] > 0 && s[2] != targets) {
            throw unusable(
                    v,
                    "output " + out.name() + " " + Arrays.toString(s) + " is not a forecast: forecasting "
                            + "models return [batch, 1], [batch] or [batch, horizon] (several targets: [batch, targets] "
                            + "or [batch, horizon, targets]); a rank-" + s.length + " output with " + s[s.length - 1]
                            + " values per step (e.g. a distribution over classes) cannot be read as future values"
                            + (targets > 1 ? "" : " of one target"));
        }
        return (int) Math.max(s[1], 0);
    }

    private static Failure unusable(ModelVersion v, String reason) {
        return Failure.unprocessable("model '" + v.name() + "' version " + v.version() + " cannot forecast: " + reason);
    }
}
