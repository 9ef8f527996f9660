package io.seqserve.forecasting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.StrictJson;
import io.seqserve.inference.ForwardPass;
import io.seqserve.live.LiveState;
import io.seqserve.live.LiveTask;
import io.seqserve.live.ObserveRequest;
import io.seqserve.live.SessionRequest;
import io.seqserve.registry.Manifest;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.HostTensor;
import io.seqserve.series.Conformal;
import io.seqserve.series.Fill;
import io.seqserve.series.Frame;
import io.seqserve.series.Rollout;
import io.seqserve.series.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Forecasting sessions: a client posts each new time step (every variable the model reads) and gets the updated
 * forecast of every target with its intervals. A model that carries its state (manifest {@code state} block) reads
 * only the new steps from the session's state, one step whatever the history's length; a window model reads the
 * last window, which the session keeps. The forecast equals {@code :forecast} on the whole history (the same
 * {@link Rollout}, the same recurrence or window).
 */
@Component
class ForecastSessions implements LiveTask {

    /** The view's task part: {@code forecast} is the first (or only) target's; {@code forecasts} all of them. */
    record View(
            @JsonInclude(JsonInclude.Include.NON_NULL) String forecastId,
            long observations,
            boolean stateful,
            int horizon,
            List<Double> level,
            Forecast forecast,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Forecast> forecasts,
            List<String> warnings) {}

    record Forecast(
            @JsonInclude(JsonInclude.Include.NON_NULL) String target,
            double[] mean,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Conformal.Band> intervals) {}

    private final ForecastingProperties properties;
    private final Forecaster forecaster;
    private final ForecastRecords records;
    private final Map<ModelVersion, Plan> plans = Collections.synchronizedMap(new WeakHashMap<>());

    ForecastSessions(ForecastingProperties properties, Forecaster forecaster, ForecastRecords records) {
        this.properties = properties;
        this.forecaster = forecaster;
        this.records = records;
    }

    @Override
    public String task() {
        return "forecasting";
    }

    @Override
    public CompletableFuture<LiveState> open(ModelVersion version, ForwardPass passes, SessionRequest request) {
        if (request.text() != null) {
            throw Failure.invalid("text", "is for text-generation sessions; model '" + version.name() + "' forecasts");
        }
        ForecastModel model = plan(version);
        if (!model.layout().calendar().isEmpty() || !model.layout().statics().isEmpty()) {
            throw Failure.unprocessable("model '" + model.name() + "' reads calendar features or static covariates,"
                    + " which live sessions do not carry yet; use :forecast");
        }
        int horizon = ForecastRequests.horizon(request.horizon() == null ? 1 : request.horizon(), properties);
        model.checkHorizon(horizon);
        Fill fill = model.fill();
        if (request.fill() != null) {
            fill = Fill.find(request.fill());
            if (fill == null) {
                throw Failure.invalid("fill", "must be one of " + Fill.NAMES);
            }
        }
        double[][] rows =
                Observations.read(request.history(), "history", variables(model), true, properties.maxPoints());
        if (rows.length > 0) {
            rows = Series.read("session", "history", rows)
                    .filled(fill, names(model))
                    .rows();
        }
        List<String> targets = model.layout().named()
                ? model.layout().targets().stream().map(Variable::name).toList()
                : null;
        ForecastSessionState empty = new ForecastSessionState(
                horizon,
                ForecastRequests.levels(request.level()),
                0,
                model.stateful() ? model.state().zeros() : List.of(),
                model.stateful() ? null : new double[0][],
                targets,
                null,
                null,
                List.of(),
                null,
                null);
        return advance(model, passes, empty, rows, future(model, request.future()));
    }

    @Override
    public CompletableFuture<LiveState> observe(
            ModelVersion version, ForwardPass passes, LiveState state, ObserveRequest request) {
        ForecastModel model = plan(version);
        double[][] rows = Observations.read(
                request.observations(), "observations", variables(model), false, properties.maxPoints());
        return advance(model, passes, (ForecastSessionState) state, rows, future(model, request.future()));
    }

    @Override
    public Object view(LiveState state) {
        ForecastSessionState s = (ForecastSessionState) state;
        List<Forecast> forecasts = new ArrayList<>();
        for (int j = 0; s.means() != null && j < s.means().length; j++) {
            forecasts.add(new Forecast(
                    s.targets() == null ? null : s.targets().get(j),
                    s.means()[j],
                    s.intervals() == null ? null : s.intervals().get(j)));
        }
        return new View(
                s.forecastId(),
                s.observations(),
                s.window() == null,
                s.horizon(),
                s.levels(),
                forecasts.isEmpty() ? null : forecasts.get(0),
                forecasts.size() > 1 ? forecasts : null,
                s.warnings());
    }

    /** Logs a new forecast under the session id as its series, from the session's observation count. */
    @Override
    public void answered(String session, ModelVersion version, LiveState state) {
        ForecastSessionState s = (ForecastSessionState) state;
        if (s.forecastId() != null) {
            records.recordSession(s.forecastId(), plan(version), session, s.observations(), s.means(), s.last());
        }
    }

    @Override
    public JsonNode encode(LiveState state) {
        return StrictJson.MAPPER.valueToTree(ForecastSessionState.Stored.of((ForecastSessionState) state));
    }

    @Override
    public LiveState decode(JsonNode data) {
        return StrictJson.MAPPER
                .treeToValue(data, ForecastSessionState.Stored.class)
                .restore();
    }

    /** The session after reading {@code rows}, with the forecast from there. */
    private CompletableFuture<LiveState> advance(
            ForecastModel model, ForwardPass passes, ForecastSessionState s, double[][] rows, double[][] future) {
        long seen = s.observations() + rows.length;
        if (rows.length == 0) {
            return CompletableFuture.completedFuture(answered(model, s, seen, s.state(), s.window(), null, null));
        }
        if (model.stateful()) {
            Rollout.Origin origin = new Rollout.Origin(frame(rows, future), rows.length);
            // The steps complete on the session threads, which split the shared passes: continuing there saves a
            // hop per step (the work is a few array copies), unlike :forecast's continuations of worker threads.
            return StatefulForecaster.forecast(
                            passes, model, List.of(origin), List.of(s.state()), null, s.horizon(), Runnable::run)
                    .thenApply(run -> answered(model, s, seen, run.states().get(0), null, run.means()[0], rows));
        }
        double[][] window = keep(model, s.window(), rows);
        if (window.length < model.minHistory()) {
            return CompletableFuture.completedFuture(answered(model, s, seen, List.of(), window, null, null));
        }
        Rollout.Origin origin = new Rollout.Origin(frame(window, future), window.length);
        return forecaster
                .forecast(passes, model, List.of(origin), List.of("session"), s.horizon())
                .thenApply(out -> answered(model, s, seen, List.of(), window, out.means()[0], rows));
    }

    private static Frame frame(double[][] rows, double[][] future) {
        return new Frame(rows, future, null, Frame.NO_STATICS, "session");
    }

    /** The last window of values a window model reads (all of them for a whole-history model, within the limit). */
    private double[][] keep(ForecastModel model, double[][] window, double[][] rows) {
        int total = window.length + rows.length;
        int keep = model.window() > 0 ? Math.min(total, model.window()) : total;
        if ((long) keep * variables(model) > properties.maxPoints()) {
            throw Failure.tooLarge("model '" + model.name() + "' reads the whole history, and this session would"
                    + " hold more than " + properties.maxPoints() + " values (seqserve.forecasting.max-points)");
        }
        double[][] out = new double[keep][];
        for (int i = 0; i < keep; i++) {
            int t = total - keep + i;
            out[i] = t < window.length ? window[t] : rows[t - window.length];
        }
        return out;
    }

    private ForecastSessionState answered(
            ForecastModel model,
            ForecastSessionState s,
            long seen,
            List<HostTensor> state,
            double[][] window,
            double[][] means,
            double[][] rows) {
        Set<String> warnings = new LinkedHashSet<>();
        boolean ready = means != null && seen >= model.minHistory();
        List<Map<String, Conformal.Band>> intervals = null;
        if (!ready) {
            warnings.add("no forecast yet: model '" + model.name() + "' needs " + model.minHistory()
                    + " observations, this session has " + seen);
        } else if (!s.levels().isEmpty()) {
            if (!model.calibrated()) {
                warnings.add("no intervals: model '" + model.name() + "' version " + model.version()
                        + " has no conformal residuals in its manifest; store them with :calibrate");
            } else {
                intervals = new ArrayList<>();
                for (int j = 0; j < means.length; j++) {
                    Conformal conformal = model.conformal().get(j);
                    intervals.add(
                            conformal.isEmpty()
                                    ? null
                                    : model.bounds().clip(conformal.bands(means[j], s.levels(), warnings)));
                }
            }
        }
        return new ForecastSessionState(
                s.horizon(),
                s.levels(),
                seen,
                model.stateful() ? state : List.of(),
                model.stateful() ? null : window,
                s.targets(),
                ready ? means : null,
                intervals,
                List.copyOf(warnings),
                ready ? ForecastIds.next() : null,
                ready ? ForecastRecords.targets(model, rows[rows.length - 1]) : null);
    }

    /** The future covariates over the horizon, when given (rows of the model's future covariates). */
    private double[][] future(ForecastModel model, JsonNode future) {
        int width = model.layout().futureCount();
        if (future == null || future.isNull()) {
            return Frame.NO_FUTURE;
        }
        if (width == 0) {
            throw Failure.invalid("future", "model '" + model.name() + "' reads no future covariates");
        }
        return Observations.read(future, "future", width, false, properties.maxPoints());
    }

    private static int variables(ForecastModel model) {
        return model.layout().variables().size();
    }

    private static List<String> names(ForecastModel model) {
        return model.layout().named()
                ? model.layout().variables().stream().map(Variable::name).toList()
                : null;
    }

    /** A version's forecasting plan, built again when the version was reloaded with another manifest. */
    private record Plan(Manifest manifest, ForecastModel model) {}

    private ForecastModel plan(ModelVersion version) {
        Plan plan = plans.get(version);
        if (plan == null || plan.manifest() != version.manifest()) {
            plan = new Plan(version.manifest(), ForecastModel.of(version, properties));
            plans.put(version, plan);
        }
        return plan.model();
    }
}
