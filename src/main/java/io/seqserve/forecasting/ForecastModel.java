package io.seqserve.forecasting;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.TensorSpec;
import io.seqserve.series.Calendar;
import io.seqserve.series.Conformal;
import io.seqserve.series.Fill;
import io.seqserve.series.Frame;
import io.seqserve.series.Layout;
import io.seqserve.series.RollingOrigin;
import io.seqserve.series.Rollout;
import io.seqserve.series.Scaling;
import io.seqserve.series.Variable;
import java.util.Arrays;
import java.util.List;

/**
 * How to forecast with one model version: its manifest's forecasting block, completed from the signature.
 * Input {@code [-1, W, F]} (or {@code [-1, W]} without a feature axis, or {@code [-1, -1, F]} for any length);
 * output {@code [-1, 1]} or {@code [-1]} (next step) or {@code [-1, H]} (H steps at once). The layout says
 * which variable feeds which input feature; the shape how the passes look.
 */
record ForecastModel(
        String name, long version, Layout layout, Rollout.Shape shape, Fill fill, List<Conformal> conformal) {

    static ForecastModel of(ModelVersion v, ForecastingProperties properties) {
        if (!"forecasting".equals(v.task())) {
            throw Failure.unprocessable("model '" + v.name() + "' version " + v.version() + " has task '" + v.task()
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
                block.targetResiduals().stream().map(Conformal::of).toList());
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
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < layout.features(); i++) {
            names.add(layout.slotName(i));
        }
        return String.join(", ", names);
    }

    /**
     * Problems the version's users should know at load: a next-step model with past covariates forecasts one
     * step only (it does not predict them).
     */
    List<String> loadWarnings() {
        if (shape.multiHorizon() || layout.pastCovariates().isEmpty()) {
            return List.of();
        }
        return List.of("forecasts 1 step at most: the past covariates " + pastNames()
                + " are known up to now only and the model does not predict them");
    }

    private List<String> pastNames() {
        return layout.pastCovariates().stream().map(Variable::name).toList();
    }

    int window() {
        return shape.window();
    }

    boolean multiHorizon() {
        return shape.multiHorizon();
    }

    int modelHorizon() {
        return shape.modelHorizon();
    }

    /** Shortest history a series must have. */
    int minHistory() {
        return Math.max(shape.window(), 1);
    }

    /** Forward passes a forecast of {@code horizon} needs per input length. */
    int steps(int horizon) {
        return shape.multiHorizon() ? 1 : horizon;
    }

    void checkHorizon(int horizon) {
        if (shape.multiHorizon() && shape.modelHorizon() > 0 && horizon > shape.modelHorizon()) {
            throw Failure.unprocessable(
                    "horizon",
                    "model '" + name + "' forecasts " + shape.modelHorizon() + " steps at once; ask for at most "
                            + shape.modelHorizon());
        }
        if (!shape.multiHorizon() && horizon > 1 && !layout.pastCovariates().isEmpty()) {
            throw Failure.unprocessable(
                    "horizon",
                    "model '" + name + "' forecasts one step at a time from the past covariates " + pastNames()
                            + ", which are known up to now only and which it does not predict, so it cannot go on "
                            + "past the first step: ask for horizon 1 (a model that forecasts further needs them as "
                            + "future covariates, known ahead, or as targets)");
        }
    }

    /**
     * The series as the model reads it: the right width, long enough ({@code minLength} values, at least
     * the window), gaps filled by the request's fill or else the model's.
     */
    Series prepare(Series series, Fill requested, int minLength) {
        int variables = layout.variables().size();
        if (series.width() != variables) {
            throw Failure.unprocessable(
                    series.field() + ".values",
                    "rows hold " + series.width() + " values but model '" + name + "' reads " + variables
                            + " features per step");
        }
        int needed = Math.max(minLength, minHistory());
        if (series.length() < needed) {
            throw Failure.unprocessable(
                    series.field() + ".values",
                    "has " + series.length() + " values; "
                            + (needed == minHistory()
                                    ? "model '" + name + "' reads a window of " + window()
                                    : "this request needs at least " + needed));
        }
        checkExtras(series);
        List<String> names =
                layout.named() ? layout.variables().stream().map(Variable::name).toList() : null;
        return series.filled(requested == null ? fill : requested, names);
    }

    /** The request's start, static covariates and future rows against what the model reads. */
    private void checkExtras(Series series) {
        String field = series.field();
        if (!layout.calendar().isEmpty() && series.start() == null) {
            throw Failure.unprocessable(
                    field + ".start",
                    "model '" + name + "' derives the calendar features "
                            + layout.calendar().stream().map(Calendar::key).toList()
                            + " from timestamps: give start, the time of the first value (frequency "
                            + layout.frequency() + ")");
        }
        int statics = layout.statics().size();
        int given = series.statics() == null ? 0 : series.statics().length;
        if (given != statics) {
            throw Failure.unprocessable(
                    field + ".static_covariates",
                    statics == 0
                            ? "model '" + name + "' has no static covariates; leave static_covariates out"
                            : "model '" + name + "' reads " + statics + " static covariates "
                                    + layout.statics().stream()
                                            .map(Variable::name)
                                            .toList() + "; " + given
                                    + " given");
        }
        int width = series.future().length == 0 ? 0 : series.future()[0].length;
        if (series.future().length > 0 && width != layout.futureCount()) {
            throw Failure.unprocessable(
                    field + ".future",
                    layout.futureCount() == 0
                            ? "model '" + name + "' reads no future covariates; leave future out"
                            : "rows hold " + width + " values but model '" + name + "' has "
                                    + layout.futureCount() + " future covariates "
                                    + layout.futureCovariates().stream()
                                            .map(Variable::name)
                                            .toList());
        }
    }

    /**
     * The future covariates a forecast of {@code horizon} from the end of {@code series} reads must be known:
     * 422 on {@code future} saying how many rows of which covariates are needed.
     */
    void checkFuture(Series series, int horizon) {
        int needed = layout.lastCovariateTime(series.length(), steps(horizon)) - series.length() + 1;
        if (layout.futureCount() == 0 || needed <= series.future().length) {
            return;
        }
        List<String> names =
                layout.futureCovariates().stream().map(Variable::name).toList();
        throw Failure.unprocessable(
                series.field() + ".future",
                "model '" + name + "' reads the covariates " + names + " at each step; a forecast of " + horizon
                        + " steps needs their future values: give " + needed + " row" + (needed == 1 ? "" : "s")
                        + " of them in future (the request gives " + series.future().length + ")");
    }

    /** Target {@code j}'s name in answers: null for the legacy form, whose one target is unnamed. */
    String targetName(int j) {
        return layout.named() ? layout.targets().get(j).name() : null;
    }

    /** True when some target has conformal residuals. */
    boolean calibrated() {
        return conformal.stream().anyMatch(c -> !c.isEmpty());
    }

    /** A filled series as the layout reads it. */
    Frame frame(Series series) {
        return series.frame(layout.frequency());
    }

    /** The rolling origins of every series, series after series, with the field each belongs to. */
    void origins(List<Series> series, RollingOrigin origin, List<Rollout.Origin> origins, List<String> fields) {
        for (Series s : series) {
            Frame frame = frame(s);
            for (int cutoff : origin.cutoffs(s.length())) {
                origins.add(new Rollout.Origin(frame, cutoff));
                fields.add(s.field());
            }
        }
    }

    /** What an answer should mention about these series: ids a global model does not know. */
    List<String> warnings(List<Series> series) {
        if (layout.seriesIds().isEmpty()) {
            return List.of();
        }
        List<String> unknown = series.stream()
                .map(Series::id)
                .filter(id -> !layout.seriesIds().contains(id))
                .toList();
        return unknown.isEmpty()
                ? List.of()
                : List.of("model '" + name + "' was trained on the series " + layout.seriesIds() + "; the ids "
                        + unknown + " are new to it and forecast without a series indicator");
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
