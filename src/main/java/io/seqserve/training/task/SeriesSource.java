package io.seqserve.training.task;

import io.seqserve.Failure;
import io.seqserve.series.Calendar;
import io.seqserve.series.Timeline;
import io.seqserve.series.Variable;
import io.seqserve.training.data.Dataset;
import io.seqserve.training.data.DatasetStore;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forecasting job's data as read from its data set or inline values: the plan (which variables, which roles)
 * and the series, {@code [variable][time]} with NaN where a value is missing; many series when an id column
 * splits the rows. {@code field} is the request field errors about the data name.
 */
record SeriesSource(Plan plan, List<SeriesSource.Raw> series, String field) {

    /** Most series one global model tells apart by id indicators. */
    static final int MAX_ID_FEATURES = 256;

    record Raw(String id, double[][] columns, Timeline timeline) {}

    static SeriesSource read(TaskSpec spec, DatasetStore datasets) {
        DataRef ref = spec.data();
        if (ref.id() == null) {
            return fromValues(ref.values(), ref.targetIndex(), spec.horizon());
        }
        Dataset dataset = datasets.forJob(ref.id(), "dataset.id");
        if (!dataset.kind().equals(Dataset.CSV)) {
            throw Failure.unprocessable(
                    "dataset.id", "'" + ref.id() + "' is a text data set; forecasting needs a CSV one");
        }
        return ref.byRole() ? byRole(spec, dataset, datasets) : legacy(ref, dataset, datasets, spec.horizon());
    }

    private static SeriesSource legacy(DataRef ref, Dataset dataset, DatasetStore datasets, int horizon) {
        String field = ref.column() != null ? "dataset.column" : "dataset.columns";
        List<String> names = ref.column() != null ? List.of(ref.column()) : ref.columns();
        numericColumns(dataset, names, field);
        String target = ref.target() != null ? ref.target() : names.get(0);
        if (!names.contains(target)) {
            throw Failure.unprocessable("dataset.target", "'" + target + "' is not one of the columns " + names);
        }
        Plan plan = Plan.legacy(names, names.indexOf(target), horizon);
        double[][] columns = datasets.numericColumns(dataset, names);
        return new SeriesSource(plan, List.of(new Raw("0", columns, null)), field);
    }

    private static SeriesSource fromValues(InlineValues values, Integer targetIndex, int horizon) {
        double[][] columns = values.columns();
        int width = columns.length;
        int target = targetIndex == null ? 0 : targetIndex;
        if (target >= width) {
            throw Failure.invalid("dataset.target_index", "must be in 0.." + (width - 1));
        }
        List<String> names = new ArrayList<>();
        for (int f = 0; f < width; f++) {
            names.add(width == 1 ? "value" : "feature_" + f);
        }
        return new SeriesSource(
                Plan.legacy(names, target, horizon), List.of(new Raw("0", columns, null)), "dataset.values");
    }

    private static SeriesSource byRole(TaskSpec spec, Dataset dataset, DatasetStore datasets) {
        DataRef ref = spec.data();
        List<String> names = new ArrayList<>();
        List<Variable.Role> roles = new ArrayList<>();
        add(names, roles, ref.targets(), Variable.Role.TARGET);
        add(names, roles, ref.pastCovariates(), Variable.Role.PAST);
        add(names, roles, ref.futureCovariates(), Variable.Role.FUTURE);
        numericColumns(dataset, names, "dataset.targets");
        double[][] columns = datasets.numericColumns(dataset, names);
        int rows = columns[0].length;
        String[] ids =
                ref.idColumn() == null ? null : textColumn(datasets, dataset, ref.idColumn(), "dataset.id_column");
        String[] times = ref.timeColumn() == null
                ? null
                : textColumn(datasets, dataset, ref.timeColumn(), "dataset.time_column");
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < rows; r++) {
            String id = ids == null ? "0" : ids[r];
            if (id == null) {
                throw Failure.unprocessable("dataset.id_column", "row " + (r + 1) + " has no series id");
            }
            groups.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
        List<Calendar> calendar = spec.calendar().stream().map(Calendar::find).toList();
        String frequency = null;
        List<Raw> series = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            List<Integer> members = group.getValue();
            double[][] own = new double[names.size()][members.size()];
            for (int v = 0; v < names.size(); v++) {
                for (int i = 0; i < members.size(); i++) {
                    own[v][i] = columns[v][members.get(i)];
                }
            }
            Timeline timeline = null;
            if (!calendar.isEmpty()) {
                LocalDateTime[] stamps = timestamps(times, members, group.getKey());
                if (frequency == null) {
                    frequency = spec.frequency() != null ? spec.frequency() : infer(stamps, group.getKey());
                }
                timeline = regular(stamps, frequency, group.getKey());
            }
            series.add(new Raw(group.getKey(), own, timeline));
        }
        List<String> seriesIds = List.of();
        if (spec.idFeatures()) {
            if (groups.size() > MAX_ID_FEATURES) {
                throw Failure.unprocessable(
                        "id_features",
                        "the data has " + groups.size() + " series; id indicators are given to at most "
                                + MAX_ID_FEATURES + " (train without id_features: one global model for all)");
            }
            seriesIds = List.copyOf(groups.keySet());
        }
        Plan plan = new Plan(names, roles, calendar, frequency, seriesIds, false, spec.horizon(), spec.lossWeights());
        return new SeriesSource(plan, series, "dataset.targets");
    }

    private static void add(List<String> names, List<Variable.Role> roles, List<String> columns, Variable.Role role) {
        if (columns != null) {
            for (String c : columns) {
                if (names.contains(c)) {
                    throw Failure.invalid("dataset", "'" + c + "' is named twice among targets and covariates");
                }
                names.add(c);
                roles.add(role);
            }
        }
    }

    private static void numericColumns(Dataset dataset, List<String> names, String field) {
        if (new HashSet<>(names).size() != names.size()) {
            throw Failure.invalid(field, "names a column twice");
        }
        for (String name : names) {
            Dataset.Column column = existing(dataset, name, field);
            if (!column.numeric()) {
                throw Failure.unprocessable(field, "column '" + name + "' is not numeric");
            }
        }
    }

    private static Dataset.Column existing(Dataset dataset, String name, String field) {
        Dataset.Column column = dataset.column(name);
        if (column == null) {
            throw Failure.unprocessable(
                    field,
                    "no column '" + name + "' in data set " + dataset.id() + " (it has "
                            + dataset.columns().stream()
                                    .map(Dataset.Column::name)
                                    .toList() + ")");
        }
        return column;
    }

    private static String[] textColumn(DatasetStore datasets, Dataset dataset, String name, String field) {
        existing(dataset, name, field);
        return datasets.textColumns(dataset, List.of(name))[0];
    }

    private static LocalDateTime[] timestamps(String[] times, List<Integer> members, String id) {
        if (times == null) {
            throw Failure.unprocessable("dataset.time_column", "calendar features need a time column");
        }
        LocalDateTime[] stamps = new LocalDateTime[members.size()];
        for (int i = 0; i < stamps.length; i++) {
            String text = times[members.get(i)];
            try {
                stamps[i] = Timeline.parse(text);
            } catch (IllegalArgumentException e) {
                throw Failure.unprocessable(
                        "dataset.time_column",
                        "row " + (members.get(i) + 1) + " of series " + id + ": " + e.getMessage());
            }
        }
        return stamps;
    }

    private static String infer(LocalDateTime[] stamps, String id) {
        String frequency = stamps.length < 2 ? null : Timeline.infer(stamps[0], stamps[1]);
        if (frequency == null) {
            throw Failure.unprocessable(
                    "frequency",
                    "cannot tell the frequency of series " + id + " from its first two timestamps; give frequency");
        }
        return frequency;
    }

    /** Calendar features are computed from start + t * frequency, as served: the timestamps must be exactly that. */
    private static Timeline regular(LocalDateTime[] stamps, String frequency, String id) {
        Timeline timeline;
        try {
            timeline = new Timeline(stamps[0], frequency);
        } catch (IllegalArgumentException e) {
            throw Failure.invalid("frequency", e.getMessage());
        }
        for (int t = 0; t < stamps.length; t++) {
            if (!timeline.at(t).equals(stamps[t])) {
                throw Failure.unprocessable(
                        "dataset.time_column",
                        "series " + id + " is not regular at its value " + t + ": " + frequency + " steps from "
                                + stamps[0] + " give " + timeline.at(t) + ", the data says " + stamps[t]
                                + " (calendar features need one row per step, in time order, none missing)");
            }
        }
        return timeline;
    }
}
