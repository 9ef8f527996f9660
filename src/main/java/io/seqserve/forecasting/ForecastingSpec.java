package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.StrictJson;
import io.seqserve.series.Calendar;
import io.seqserve.series.Fill;
import io.seqserve.series.Layout;
import io.seqserve.series.Timeline;
import io.seqserve.series.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;

/**
 * The manifest's {@code forecasting:} section, typed and checked (read with {@link StrictJson}, as
 * request bodies are). Every field is optional; what is left out is taken from the model's signature (see
 * {@link ForecastModel}). Two forms: the legacy one ({@code features}, {@code target_index}, per-feature
 * {@code scaling}, {@code residuals}) for one target among unnamed features, and the named one: {@code targets}
 * (one or many), {@code past_covariates}, {@code future_covariates}, {@code static_covariates}, each with its own
 * {@code scaling} (targets with their {@code residuals}), {@code calendar} features derived from timestamps at
 * {@code frequency}, {@code series_ids} of a global model, and the {@code future_lead} (see {@link Layout}).
 *
 * @param output    {@code next_step} (recursive for longer horizons) or {@code multi_horizon}
 * @param horizon   steps a multi-horizon model returns, when its output shape does not say
 * @param fill      how {@code null} values are filled: {@code linear} (default), {@code ffill} or {@code error}
 * @param residuals absolute errors in the series' units per horizon step ("1", "2", ...), for conformal intervals
 * @param bounds    the range forecasts and intervals are clipped to ({@code {lower: 0}} for counts)
 */
record ForecastingSpec(
        Integer window,
        Integer features,
        Integer targetIndex,
        String output,
        Integer horizon,
        Scaling scaling,
        String fill,
        Map<String, List<Double>> residuals,
        List<VariableSpec> targets,
        List<VariableSpec> pastCovariates,
        List<VariableSpec> futureCovariates,
        List<VariableSpec> staticCovariates,
        List<String> calendar,
        String frequency,
        List<String> seriesIds,
        Integer futureLead,
        Bounds bounds) {

    /** Per-feature z-scoring ({@code method: zscore}) or none. */
    record Scaling(String method, List<Double> mean, List<Double> std) {}

    /** One named variable: its scaling and, for a target, its conformal residuals per horizon step. */
    record VariableSpec(String name, VariableScaling scaling, Map<String, List<Double>> residuals) {}

    /** A variable's z-scoring ({@code method: zscore}, {@code mean}, {@code std}) or none. */
    record VariableScaling(String method, Double mean, Double std) {}

    static final String NEXT_STEP = "next_step";
    static final String MULTI_HORIZON = "multi_horizon";
    static final String RESIDUALS = "residuals";
    static final String TARGETS = "targets";
    private static final ForecastingSpec EMPTY = new ForecastingSpec(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** The block of a manifest; a block that cannot be used makes the model unusable for forecasting (UNPROCESSABLE). */
    static ForecastingSpec of(Map<String, Object> raw) {
        if (raw == null) {
            return EMPTY;
        }
        ForecastingSpec block;
        try {
            block = StrictJson.MAPPER.convertValue(raw, ForecastingSpec.class);
        } catch (JacksonException e) {
            throw invalid(e.getOriginalMessage());
        }
        List<String> problems = block.problems();
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        return block;
    }

    /** True for the named form. */
    boolean named() {
        return targets != null;
    }

    /**
     * The layout of the named form; {@code lead} is the future lead to use when the block does not set it.
     *
     * @throws IllegalArgumentException when the variables do not make a layout
     */
    Layout layout(int lead) {
        List<Variable> variables = new ArrayList<>();
        variables(targets, Variable.Role.TARGET, variables);
        variables(pastCovariates, Variable.Role.PAST, variables);
        variables(futureCovariates, Variable.Role.FUTURE, variables);
        List<Variable> statics = new ArrayList<>();
        variables(staticCovariates, Variable.Role.STATIC, statics);
        return Layout.of(
                variables,
                statics,
                calendar == null
                        ? List.of()
                        : calendar.stream().map(Calendar::find).toList(),
                frequency,
                seriesIds == null ? List.of() : seriesIds,
                futureLead != null ? futureLead : lead);
    }

    /** The residuals of every target, in order (the legacy form's one target: the block's own). */
    List<Map<String, List<Double>>> targetResiduals() {
        if (!named()) {
            return java.util.Collections.singletonList(residuals);
        }
        return targets.stream().map(VariableSpec::residuals).toList();
    }

    private static void variables(List<VariableSpec> specs, Variable.Role role, List<Variable> into) {
        if (specs == null) {
            return;
        }
        for (VariableSpec v : specs) {
            VariableScaling s = v.scaling();
            boolean none = s == null || "none".equals(s.method());
            into.add(none ? Variable.unscaled(v.name(), role) : new Variable(v.name(), role, s.mean(), s.std()));
        }
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        positive("window", window, problems);
        positive("features", features, problems);
        positive("horizon", horizon, problems);
        if (targetIndex != null && (targetIndex < 0 || features != null && targetIndex >= features)) {
            problems.add("target_index must be in 0..features-1");
        }
        if (output != null && !Set.of(NEXT_STEP, MULTI_HORIZON).contains(output)) {
            problems.add("output must be next_step or multi_horizon");
        }
        if (fill != null && Fill.find(fill) == null) {
            problems.add("fill must be one of " + Fill.NAMES);
        }
        if (scaling != null) {
            scalingProblems(problems);
        }
        if (bounds != null) {
            bounds.problems(problems);
        }
        residualProblems("residuals", residuals, problems);
        if (named()) {
            namedProblems(problems);
        } else if (pastCovariates != null
                || futureCovariates != null
                || staticCovariates != null
                || calendar != null
                || seriesIds != null
                || futureLead != null) {
            problems.add("covariates, calendar, series_ids and future_lead need the targets list "
                    + "(targets: [{name: ..., scaling: ...}])");
        }
        return problems;
    }

    private void namedProblems(List<String> problems) {
        if (targetIndex != null || scaling != null || residuals != null) {
            problems.add("with targets, give each variable its own scaling and each target its residuals "
                    + "(target_index, and the block's scaling and residuals, are for unnamed features)");
        }
        if (targets.isEmpty()) {
            problems.add("targets must name at least one variable");
        }
        Set<String> names = new HashSet<>();
        variableProblems("targets", targets, names, true, problems);
        variableProblems("past_covariates", pastCovariates, names, false, problems);
        variableProblems("future_covariates", futureCovariates, names, false, problems);
        variableProblems("static_covariates", staticCovariates, names, false, problems);
        if (calendar != null) {
            for (String c : calendar) {
                if (Calendar.find(c) == null) {
                    problems.add("calendar features are " + Calendar.NAMES + "; got '" + c + "'");
                }
            }
            if (new HashSet<>(calendar).size() != calendar.size()) {
                problems.add("calendar names a feature twice");
            }
            if (frequency == null && !calendar.isEmpty()) {
                problems.add("calendar features need the frequency of the series' timestamps (frequency: day, ...)");
            }
        }
        if (frequency != null) {
            try {
                Timeline.step(frequency);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (seriesIds != null
                && (seriesIds.stream().anyMatch(id -> id == null || id.isEmpty())
                        || new HashSet<>(seriesIds).size() != seriesIds.size())) {
            problems.add("series_ids must be distinct, non-empty ids");
        }
        if (futureLead != null && futureLead < 0) {
            problems.add("future_lead must be >= 0");
        }
    }

    private static void variableProblems(
            String key, List<VariableSpec> specs, Set<String> names, boolean target, List<String> problems) {
        if (specs == null) {
            return;
        }
        for (int i = 0; i < specs.size(); i++) {
            VariableSpec v = specs.get(i);
            String at = key + "[" + i + "]";
            if (v == null || v.name() == null || v.name().isBlank()) {
                problems.add(at + " needs a name");
                continue;
            }
            if (!names.add(v.name())) {
                problems.add("'" + v.name() + "' is named twice among the variables");
            }
            VariableScaling s = v.scaling();
            if (s != null && !"none".equals(s.method())) {
                if (s.method() != null && !s.method().equals("zscore")) {
                    problems.add(at + ".scaling.method must be zscore or none");
                } else if (s.mean() == null || s.std() == null || !(s.std() > 0)) {
                    problems.add(at + ".scaling needs a mean and a std > 0");
                }
            }
            if (!target && v.residuals() != null) {
                problems.add(at + " has residuals; only targets have them");
            }
            residualProblems(at + ".residuals", v.residuals(), problems);
        }
    }

    private static void residualProblems(String key, Map<String, List<Double>> residuals, List<String> problems) {
        if (residuals != null) {
            residuals.forEach((step, values) -> {
                if (!step.matches("[1-9][0-9]{0,5}")) {
                    problems.add(key + " keys are horizon steps 1, 2, ...; got '" + step + "'");
                } else if (values == null
                        || values.isEmpty()
                        || values.stream().anyMatch(v -> v == null || !Double.isFinite(v) || v < 0)) {
                    problems.add(key + "." + step + " must be a non-empty list of finite numbers >= 0");
                }
            });
        }
    }

    private void scalingProblems(List<String> problems) {
        String method = scaling.method() == null ? "zscore" : scaling.method();
        if (method.equals("none")) {
            return;
        }
        if (!method.equals("zscore")) {
            problems.add("scaling.method must be zscore or none");
        } else if (scaling.mean() == null
                || scaling.std() == null
                || scaling.mean().isEmpty()
                || scaling.mean().size() != scaling.std().size()) {
            problems.add("scaling needs mean and std lists of equal length, one entry per feature");
        } else if (features != null && scaling.mean().size() != features) {
            problems.add("scaling has " + scaling.mean().size() + " entries but features is " + features);
        } else if (scaling.mean().stream().anyMatch(v -> v == null || !Double.isFinite(v))
                || scaling.std().stream().anyMatch(v -> v == null || !Double.isFinite(v) || v <= 0)) {
            problems.add("scaling.mean must be finite and scaling.std finite and > 0");
        }
    }

    private static void positive(String field, Integer value, List<String> problems) {
        if (value != null && value < 1) {
            problems.add(field + " must be >= 1");
        }
    }

    private static Failure invalid(String reason) {
        return Failure.unprocessable("the model's forecasting block in seqserve.yaml is invalid: " + reason);
    }
}
