package io.seqserve.forecasting;

import io.seqserve.Failure;
import io.seqserve.StrictJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;

/**
 * The manifest's {@code forecasting:} section, typed and checked (read with {@link StrictJson}, as
 * request bodies are). Every field is optional; what is left out
 * is taken from the model's signature (see {@link ForecastModel}).
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
        Bounds bounds) {

    /** Per-feature z-scoring ({@code method: zscore}) or none. */
    record Scaling(String method, List<Double> mean, List<Double> std) {}

    static final String NEXT_STEP = "next_step";
    static final String MULTI_HORIZON = "multi_horizon";
    static final String RESIDUALS = "residuals";
    private static final ForecastingSpec EMPTY =
            new ForecastingSpec(null, null, null, null, null, null, null, null, null);

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

    /** A copy of the raw block with {@code residuals} replaced, everything else as it was written. */
    static Map<String, Object> withResiduals(Map<String, Object> raw, Map<String, List<Double>> residuals) {
        Map<String, Object> copy = new LinkedHashMap<>(raw == null ? Map.of() : raw);
        copy.put(RESIDUALS, residuals);
        return copy;
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
        if (residuals != null) {
            residuals.forEach((step, values) -> {
                if (!step.matches("[1-9][0-9]{0,5}")) {
                    problems.add("residuals keys are horizon steps 1, 2, ...; got '" + step + "'");
                } else if (values == null
                        || values.isEmpty()
                        || values.stream().anyMatch(v -> v == null || !Double.isFinite(v) || v < 0)) {
                    problems.add("residuals." + step + " must be a non-empty list of finite numbers >= 0");
                }
            });
        }
        return problems;
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
