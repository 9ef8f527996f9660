package io.seqserve.training.task;

import io.seqserve.series.Calendar;
import io.seqserve.series.Layout;
import io.seqserve.series.Scaling;
import io.seqserve.series.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a forecasting job learns: its per-step variables (names and roles, in the order targets, past
 * covariates, future covariates), the calendar features derived from its timestamps, the series ids a global
 * model tells apart, and how far it forecasts at once. The {@code legacy} form (a {@code column}, or
 * {@code columns} with a {@code target}, or inline values) is the one-target model whose other columns are
 * read at the same time step, written to the manifest as {@code features} and {@code target_index}.
 *
 * @param frequency   the timestamps' frequency, null without calendar features
 * @param seriesIds   one input indicator per id (empty: none)
 * @param lossWeights one weight per target, or null for equal weights
 */
record Plan(
        List<String> names,
        List<Variable.Role> roles,
        List<Calendar> calendar,
        String frequency,
        List<String> seriesIds,
        boolean legacy,
        int horizon,
        List<Double> lossWeights) {

    /** One target among {@code names} (its index), the others read at the same time step. */
    static Plan legacy(List<String> names, int target, int horizon) {
        List<Variable.Role> roles = new ArrayList<>();
        for (int v = 0; v < names.size(); v++) {
            roles.add(v == target ? Variable.Role.TARGET : Variable.Role.FUTURE);
        }
        return new Plan(names, roles, List.of(), null, List.of(), true, horizon, null);
    }

    int width() {
        return names.size();
    }

    int targetCount() {
        return (int) roles.stream().filter(r -> r == Variable.Role.TARGET).count();
    }

    /** The column of the first target: the legacy form's target index. */
    int firstTarget() {
        return roles.indexOf(Variable.Role.TARGET);
    }

    boolean hasPast() {
        return roles.contains(Variable.Role.PAST);
    }

    /** Future covariates and calendar features of {@code t + lead} in row {@code t}: see {@link Layout}. */
    int lead() {
        return legacy ? 0 : horizon == 1 ? 1 : horizon;
    }

    /** The layout with {@code scaling} (one column per variable). */
    Layout layout(Scaling scaling) {
        if (legacy) {
            return Layout.legacy(width(), firstTarget(), scaling);
        }
        List<Variable> variables = new ArrayList<>();
        for (int v = 0; v < width(); v++) {
            variables.add(new Variable(names.get(v), roles.get(v), scaling.mean()[v], scaling.std()[v]));
        }
        return Layout.of(variables, List.of(), calendar, frequency, seriesIds, lead());
    }
}
