package io.seqserve.series;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest's {@code forecasting:} block as training writes it, in the vocabulary serving reads
 * ({@code forecasting.ForecastingSpec}): the legacy form ({@code features}, {@code target_index}, per-feature
 * {@code scaling}, {@code residuals}) for a one-target model of unnamed features, the named form (targets and
 * covariates with their own scaling and residuals, calendar, series ids, future lead) otherwise.
 */
public final class ForecastBlock {

    private static final MathContext DIGITS = new MathContext(6);

    private ForecastBlock() {}

    /**
     * @param residuals per target (layout order), the residuals per horizon step as {@link Residuals#toManifest}
     *     gives them
     */
    public static Map<String, Object> write(
            Layout layout, int window, boolean multiHorizon, int horizon, List<Map<String, List<Double>>> residuals) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("window", window);
        if (!layout.named()) {
            block.put("features", layout.features());
            block.put("target_index", layout.targetColumn(0));
            block.put("output", multiHorizon ? "multi_horizon" : "next_step");
            List<Double> mean = new ArrayList<>();
            List<Double> std = new ArrayList<>();
            for (Variable v : layout.variables()) {
                mean.add(round(v.mean()));
                std.add(round(v.std()));
            }
            Map<String, Object> scaling = new LinkedHashMap<>();
            scaling.put("method", "zscore");
            scaling.put("mean", mean);
            scaling.put("std", std);
            block.put("scaling", scaling);
            block.put("residuals", residuals.get(0));
            return block;
        }
        block.put("output", multiHorizon ? "multi_horizon" : "next_step");
        if (multiHorizon) {
            block.put("horizon", horizon);
        }
        block.put("future_lead", layout.lead());
        if (!layout.calendar().isEmpty()) {
            block.put("frequency", layout.frequency());
            block.put("calendar", layout.calendar().stream().map(Calendar::key).toList());
        }
        List<Map<String, Object>> targets = new ArrayList<>();
        for (int j = 0; j < layout.targetCount(); j++) {
            Map<String, Object> target = variable(layout.targets().get(j));
            target.put("residuals", residuals.get(j));
            targets.add(target);
        }
        block.put("targets", targets);
        putVariables(block, "past_covariates", layout.pastCovariates());
        putVariables(block, "future_covariates", layout.futureCovariates());
        putVariables(block, "static_covariates", layout.statics());
        if (!layout.seriesIds().isEmpty()) {
            block.put("series_ids", layout.seriesIds());
        }
        return block;
    }

    private static void putVariables(Map<String, Object> block, String key, List<Variable> variables) {
        if (!variables.isEmpty()) {
            block.put(key, variables.stream().map(ForecastBlock::variable).toList());
        }
    }

    private static Map<String, Object> variable(Variable v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", v.name());
        if (v.scaled()) {
            Map<String, Object> scaling = new LinkedHashMap<>();
            scaling.put("method", "zscore");
            scaling.put("mean", round(v.mean()));
            scaling.put("std", round(v.std()));
            out.put("scaling", scaling);
        }
        return out;
    }

    /** Six significant digits: what manifests keep of fitted statistics. */
    public static double round(double value) {
        return Double.isFinite(value) ? new BigDecimal(value).round(DIGITS).doubleValue() : value;
    }
}
