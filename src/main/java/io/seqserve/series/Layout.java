package io.seqserve.series;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How a forecasting model's variables map onto its input {@code [batch, window, features]}: the one
 * implementation of windowing, used to build training examples and served inputs alike, so a served model is
 * fed exactly as it was trained.
 *
 * <p>Input feature order: the per-step variables (targets, past covariates, future covariates, as listed), then
 * {@code sin} and {@code cos} of each calendar feature, then the static covariates, then one indicator per known
 * series id (a global model's one-hot id). The input row of time {@code t} holds the targets and past covariates
 * of {@code t} and the future covariates and calendar features of {@code t + lead}: with {@code lead} 1 the last
 * row of a next-step model's window carries the known covariates of the step it forecasts, with {@code lead} H
 * the last H rows of a multi-horizon model's window carry those of its horizon.
 */
public final class Layout {

    /** Where an input feature comes from. */
    public enum Source {
        VARIABLE,
        CALENDAR_SIN,
        CALENDAR_COS,
        STATIC,
        SERIES_ID
    }

    public record Slot(Source source, int index) {}

    private final List<Variable> variables;
    private final List<Variable> statics;
    private final List<Calendar> calendar;
    private final String frequency;
    private final List<String> seriesIds;
    private final int lead;
    private final boolean named;
    private final List<Slot> slots;
    private final int[] targets;
    private final int[] futureColumn;
    private final int[] targetSlot;
    private final int futures;

    private Layout(
            List<Variable> variables,
            List<Variable> statics,
            List<Calendar> calendar,
            String frequency,
            List<String> seriesIds,
            int lead,
            boolean named,
            List<Slot> slots) {
        this.variables = List.copyOf(variables);
        this.statics = List.copyOf(statics);
        this.calendar = List.copyOf(calendar);
        this.frequency = frequency;
        this.seriesIds = List.copyOf(seriesIds);
        this.lead = lead;
        this.named = named;
        this.slots = List.copyOf(slots);
        this.targets = indices(variables, Variable.Role.TARGET);
        this.futureColumn = new int[variables.size()];
        int f = 0;
        for (int v = 0; v < variables.size(); v++) {
            futureColumn[v] = variables.get(v).role() == Variable.Role.FUTURE ? f++ : -1;
        }
        this.futures = f;
        this.targetSlot = new int[targets.length];
        for (int j = 0; j < targets.length; j++) {
            targetSlot[j] = slots.indexOf(new Slot(Source.VARIABLE, targets[j]));
        }
        if (targets.length == 0) {
            throw new IllegalArgumentException("a forecasting model needs at least one target");
        }
        if (!calendar.isEmpty() && frequency == null) {
            throw new IllegalArgumentException("calendar features need a frequency");
        }
        if (lead < 0) {
            throw new IllegalArgumentException("future_lead must be >= 0");
        }
    }

    /**
     * The layout of a model whose manifest names its variables ({@code variables} in the order targets, past
     * covariates, future covariates), in the default input order.
     */
    public static Layout of(
            List<Variable> variables,
            List<Variable> statics,
            List<Calendar> calendar,
            String frequency,
            List<String> seriesIds,
            int lead) {
        List<Slot> slots = new ArrayList<>();
        for (Variable.Role role : List.of(Variable.Role.TARGET, Variable.Role.PAST, Variable.Role.FUTURE)) {
            for (int v = 0; v < variables.size(); v++) {
                if (variables.get(v).role() == role) {
                    slots.add(new Slot(Source.VARIABLE, v));
                }
            }
        }
        List<Variable> ordered = new ArrayList<>();
        for (Slot s : slots) {
            ordered.add(variables.get(s.index()));
        }
        slots.clear();
        for (int v = 0; v < ordered.size(); v++) {
            slots.add(new Slot(Source.VARIABLE, v));
        }
        for (int c = 0; c < calendar.size(); c++) {
            slots.add(new Slot(Source.CALENDAR_SIN, c));
            slots.add(new Slot(Source.CALENDAR_COS, c));
        }
        for (int s = 0; s < statics.size(); s++) {
            slots.add(new Slot(Source.STATIC, s));
        }
        for (int i = 0; i < seriesIds.size(); i++) {
            slots.add(new Slot(Source.SERIES_ID, i));
        }
        return new Layout(ordered, statics, calendar, frequency, seriesIds, lead, true, slots);
    }

    /**
     * The layout of a manifest that only says {@code features}, {@code target_index} and per-feature
     * {@code scaling}: one target, the other features covariates of the same time step whose future values
     * a forecast longer than one step needs ({@code future} in requests).
     */
    public static Layout legacy(int features, int target, Scaling scaling) {
        List<Variable> variables = new ArrayList<>();
        List<Slot> slots = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            Variable.Role role = f == target ? Variable.Role.TARGET : Variable.Role.FUTURE;
            variables.add(new Variable("feature " + f, role, scaling.mean()[f], scaling.std()[f]));
            slots.add(new Slot(Source.VARIABLE, f));
        }
        return new Layout(variables, List.of(), List.of(), null, List.of(), 0, false, slots);
    }

    private static int[] indices(List<Variable> variables, Variable.Role role) {
        return java.util.stream.IntStream.range(0, variables.size())
                .filter(v -> variables.get(v).role() == role)
                .toArray();
    }

    /** The per-step variables a request's rows hold, in order. */
    public List<Variable> variables() {
        return variables;
    }

    public List<Variable> targets() {
        return java.util.Arrays.stream(targets).mapToObj(variables::get).toList();
    }

    public int targetCount() {
        return targets.length;
    }

    /** The column of target {@code j} in a series' rows. */
    public int targetColumn(int j) {
        return targets[j];
    }

    public List<Variable> futureCovariates() {
        return variables.stream().filter(v -> v.role() == Variable.Role.FUTURE).toList();
    }

    public int futureCount() {
        return futures;
    }

    public List<Variable> pastCovariates() {
        return variables.stream().filter(v -> v.role() == Variable.Role.PAST).toList();
    }

    public List<Variable> statics() {
        return statics;
    }

    public List<Calendar> calendar() {
        return calendar;
    }

    public String frequency() {
        return frequency;
    }

    public List<String> seriesIds() {
        return seriesIds;
    }

    public int lead() {
        return lead;
    }

    /** True when the manifest names its variables (else: the legacy features/target_index form). */
    public boolean named() {
        return named;
    }

    /** Input features per time step. */
    public int features() {
        return slots.size();
    }

    public List<Slot> slots() {
        return slots;
    }

    /** The input feature that holds target {@code j}, or -1 when the model does not read it. */
    public int targetSlot(int j) {
        return targetSlot[j];
    }

    /**
     * The last time whose future covariates and calendar features a forecast from {@code end} with {@code passes}
     * forward passes reads (its last window ends at {@code end + passes - 1}).
     */
    public int lastCovariateTime(int end, int passes) {
        return end + passes - 2 + lead;
    }

    /**
     * The scaled input rows of times {@code [from, to)} of a frame: targets and past covariates are known before
     * {@code known} only (NaN from there on: a forecast fills in the targets), future covariates wherever the
     * frame has them (its values, then its future rows; NaN beyond), calendar features from its timeline.
     */
    public double[][] rows(Frame frame, int from, int to, int known) {
        double[][] rows = new double[to - from][slots.size()];
        for (int t = from; t < to; t++) {
            double[] row = rows[t - from];
            LocalDateTime time = calendar.isEmpty() ? null : frame.timeline().at((long) t + lead);
            for (int i = 0; i < row.length; i++) {
                Slot slot = slots.get(i);
                int k = slot.index();
                row[i] = switch (slot.source()) {
                    case VARIABLE -> variable(frame, k, t, known);
                    case CALENDAR_SIN -> calendar.get(k).sin(time);
                    case CALENDAR_COS -> calendar.get(k).cos(time);
                    case STATIC -> statics.get(k).scale(frame.statics()[k]);
                    case SERIES_ID -> seriesIds.get(k).equals(frame.id()) ? 1 : 0;
                };
            }
        }
        return rows;
    }

    private double variable(Frame frame, int v, int t, int known) {
        Variable variable = variables.get(v);
        if (variable.role() != Variable.Role.FUTURE) {
            return t < known && t < frame.length() ? variable.scale(frame.values()[t][v]) : Double.NaN;
        }
        int at = t + lead;
        if (at < frame.length()) {
            return variable.scale(frame.values()[at][v]);
        }
        int j = at - frame.length();
        return j < frame.future().length ? variable.scale(frame.future()[j][futureColumn[v]]) : Double.NaN;
    }

    /** A readable name of input feature {@code i}, for messages. */
    public String slotName(int i) {
        Slot s = slots.get(i);
        return switch (s.source()) {
            case VARIABLE -> variables.get(s.index()).name();
            case CALENDAR_SIN -> calendar.get(s.index()).key() + " (sin)";
            case CALENDAR_COS -> calendar.get(s.index()).key() + " (cos)";
            case STATIC -> statics.get(s.index()).name();
            case SERIES_ID -> "series id " + seriesIds.get(s.index());
        };
    }
}
