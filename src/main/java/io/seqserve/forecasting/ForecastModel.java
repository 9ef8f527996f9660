package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.registry.ModelVersion;
import io.seqserve.series.Calendar;
import io.seqserve.series.Conformal;
import io.seqserve.series.Fill;
import io.seqserve.series.Frame;
import io.seqserve.series.Layout;
import io.seqserve.series.RollingOrigin;
import io.seqserve.series.Rollout;
import io.seqserve.series.Variable;
import java.util.List;

/**
 * How to forecast with one model version: its manifest's forecasting block, completed from the signature.
 * Input {@code [-1, W, F]} (or {@code [-1, W]} without a feature axis, or {@code [-1, -1, F]} for any length);
 * output {@code [-1, 1]} or {@code [-1]} (next step) or {@code [-1, H]} (H steps at once). The layout says
 * which variable feeds which input feature; the shape how the passes look.
 */
record ForecastModel(
        String name,
        long version,
        Layout layout,
        Rollout.Shape shape,
        Fill fill,
        List<Conformal> conformal,
        Bounds bounds) {

    /** How to forecast with {@code v}; UNPROCESSABLE with the reason when its manifest and signature do not fit. */
    static ForecastModel of(ModelVersion v, ForecastingProperties properties) {
        return ForecastModelReader.read(v, properties);
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
            throw Failure.of(
                    Failure.Code.HORIZON_TOO_LONG,
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
            throw Failure.of(
                    Failure.Code.SERIES_TOO_SHORT,
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
}
