package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.StrictJson;
import io.seqserve.inference.ForwardPass;
import io.seqserve.live.LiveState;
import io.seqserve.live.LiveTask;
import io.seqserve.live.ObserveRequest;
import io.seqserve.live.SessionRequest;
import io.seqserve.registry.Manifest;
import io.seqserve.registry.ModelVersion;
import java.util.Arrays;
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
 * Forecasting sessions: a client posts each new observation and gets the updated forecast with its intervals.
 * A model that carries its state (declared by its manifest's {@code state} block) reads only the new values from
 * the session's state, one step whatever the history's length; a window model reads the last window, which the
 * session keeps. The forecast equals {@code :forecast} on the whole history (the same recurrence, the same window).
 */
@Component
class ForecastSessions implements LiveTask {

    /** The view's task part. */
    record View(
            long observations,
            boolean stateful,
            int horizon,
            List<Double> level,
            Forecast forecast,
            List<String> warnings) {}

    record Forecast(double[] mean, Map<String, Conformal.Band> intervals) {}

    private final ForecastingProperties properties;
    private final Forecaster forecaster;
    private final ForecastExecutors executors;
    private final Map<ModelVersion, Plan> plans = Collections.synchronizedMap(new WeakHashMap<>());

    ForecastSessions(ForecastingProperties properties, Forecaster forecaster, ForecastExecutors executors) {
        this.properties = properties;
        this.forecaster = forecaster;
        this.executors = executors;
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
                Observations.read(request.history(), "history", model.features(), true, properties.maxPoints());
        if (rows.length > 0) {
            rows = Series.read("session", "history", rows)
                    .filled(fill, model.targetIndex())
                    .rows();
        }
        ForecastSessionState empty = new ForecastSessionState(
                horizon,
                ForecastRequests.levels(request.level()),
                0,
                model.stateful() ? model.state().zeros() : List.of(),
                model.stateful() ? null : new double[0][],
                null,
                null,
                List.of());
        return advance(model, passes, empty, rows);
    }

    @Override
    public CompletableFuture<LiveState> observe(
            ModelVersion version, ForwardPass passes, LiveState state, ObserveRequest request) {
        ForecastModel model = plan(version);
        double[][] rows = Observations.read(
                request.observations(), "observations", model.features(), false, properties.maxPoints());
        return advance(model, passes, (ForecastSessionState) state, rows);
    }

    @Override
    public Object view(LiveState state) {
        ForecastSessionState s = (ForecastSessionState) state;
        return new View(
                s.observations(),
                s.window() == null,
                s.horizon(),
                s.levels(),
                s.mean() == null ? null : new Forecast(s.mean(), s.intervals()),
                s.warnings());
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
            ForecastModel model, ForwardPass passes, ForecastSessionState s, double[][] rows) {
        long seen = s.observations() + rows.length;
        if (rows.length == 0) {
            return CompletableFuture.completedFuture(answered(model, s, seen, s.state(), s.window(), s.mean()));
        }
        if (model.stateful()) {
            StatefulForecaster.Start start = new StatefulForecaster.Start(rows, s.state());
            // The steps complete on the session threads, which split the shared passes: continuing there saves a
            // hop per step (the work is a few array copies), unlike :forecast's continuations of worker threads.
            return StatefulForecaster.forecast(passes, model, List.of(start), s.horizon(), Runnable::run)
                    .thenApply(results -> answered(
                            model,
                            s,
                            seen,
                            results.get(0).state(),
                            null,
                            results.get(0).mean()));
        }
        double[][] window = keep(model, s.window(), rows);
        if (window.length < model.minHistory()) {
            return CompletableFuture.completedFuture(answered(model, s, seen, List.of(), window, null));
        }
        return forecaster
                .forecast(passes, model, List.of(new Forecaster.History(window, window.length)), s.horizon())
                .thenApply(out -> answered(model, s, seen, List.of(), window, out.means()[0]));
    }

    /** The last window of values a window model reads (all of them for a whole-history model, within the limit). */
    private double[][] keep(ForecastModel model, double[][] window, double[][] rows) {
        int total = window.length + rows.length;
        int keep = model.window() > 0 ? Math.min(total, model.window()) : total;
        if ((long) keep * model.features() > properties.maxPoints()) {
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
            List<io.seqserve.runtime.HostTensor> state,
            double[][] window,
            double[] mean) {
        Set<String> warnings = new LinkedHashSet<>();
        boolean ready = mean != null && seen >= model.minHistory();
        Map<String, Conformal.Band> intervals = null;
        if (!ready) {
            warnings.add("no forecast yet: model '" + model.name() + "' needs " + model.minHistory()
                    + " observations, this session has " + seen);
        } else if (!s.levels().isEmpty()) {
            if (model.conformal().isEmpty()) {
                warnings.add("no intervals: model '" + model.name() + "' version " + model.version()
                        + " has no conformal residuals in its manifest; store them with :calibrate");
            } else {
                intervals = model.conformal().bands(mean, s.levels(), warnings);
            }
        }
        return new ForecastSessionState(
                s.horizon(),
                s.levels(),
                seen,
                model.stateful() ? state : List.of(),
                model.stateful() ? null : window,
                ready ? Arrays.copyOf(mean, mean.length) : null,
                intervals,
                List.copyOf(warnings));
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
