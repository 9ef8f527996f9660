package io.seqserve.training.task;

import ai.djl.Device;
import io.seqserve.Failure;
import io.seqserve.runtime.HostTensor;
import io.seqserve.training.data.Dataset;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.ForecasterNetwork;
import io.seqserve.training.nn.Network;
import io.seqserve.training.nn.Samples;
import io.seqserve.training.nn.TrainedModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Forecasting: a series split chronologically into training, validation and test parts, refused when too
 * much of it would be filled in, then cleaned (gaps interpolated); examples are windows of {@code window}
 * steps (all features, z-scored with the training part's statistics) and the next {@code horizon} values
 * of the target.
 */
final class SeriesTask implements LearningTask {

    private final CleanedSeries series;
    private final TaskSpec spec;
    private final int trainEnd;
    private final int valEnd;
    private final Splits splits;

    /** The series as read, {@code [feature][time]} with NaN where a value is missing, and the request field it came from. */
    private record Raw(double[][] columns, int target, List<String> names, String field) {}

    private SeriesTask(Raw raw, TaskSpec spec) {
        this.spec = spec;
        int length = raw.columns()[0].length;
        int test = (int) Math.round(length * spec.testFraction());
        int val = (int) Math.round(length * spec.validationFraction());
        this.valEnd = length - test;
        this.trainEnd = valEnd - val;
        Splits.refuseMadeUp(raw.columns(), raw.names(), raw.field(), trainEnd, valEnd, spec.maxMissingFraction());
        this.splits = Splits.count(raw.columns(), Math.max(0, trainEnd), Math.max(0, valEnd));
        this.series = CleanedSeries.of(raw.columns(), raw.target(), raw.names());
    }

    static SeriesTask create(TaskSpec spec, DatasetStore datasets) {
        DataRef ref = spec.data();
        return new SeriesTask(
                ref.id() != null ? fromDataset(ref, datasets) : fromValues(ref.values(), ref.targetIndex()), spec);
    }

    private static Raw fromDataset(DataRef ref, DatasetStore datasets) {
        Dataset dataset = datasets.forJob(ref.id(), "dataset.id");
        if (!dataset.kind().equals(Dataset.CSV)) {
            throw Failure.unprocessable(
                    "dataset.id", "'" + ref.id() + "' is a text data set; forecasting needs a CSV one");
        }
        String field = ref.column() != null ? "dataset.column" : "dataset.columns";
        List<String> names = ref.column() != null ? List.of(ref.column()) : ref.columns();
        if (new HashSet<>(names).size() != names.size()) {
            throw Failure.invalid(field, "names a column twice");
        }
        for (String name : names) {
            Dataset.Column column = dataset.column(name);
            if (column == null) {
                throw Failure.unprocessable(
                        field,
                        "no column '" + name + "' in data set " + ref.id() + " (it has "
                                + dataset.columns().stream()
                                        .map(Dataset.Column::name)
                                        .toList() + ")");
            }
            if (!column.numeric()) {
                throw Failure.unprocessable(field, "column '" + name + "' is not numeric");
            }
        }
        String target = ref.target() != null ? ref.target() : names.get(0);
        if (!names.contains(target)) {
            throw Failure.unprocessable("dataset.target", "'" + target + "' is not one of the columns " + names);
        }
        return new Raw(datasets.numericColumns(dataset, names), names.indexOf(target), names, field);
    }

    private static Raw fromValues(InlineValues values, Integer targetIndex) {
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
        return new Raw(columns, target, names, "dataset.values");
    }

    CleanedSeries series() {
        return series;
    }

    @Override
    public Splits splits() {
        return splits;
    }

    @Override
    public int trainEnd() {
        return trainEnd;
    }

    @Override
    public int valEnd() {
        return valEnd;
    }

    int horizon() {
        return spec.horizon();
    }

    @Override
    public Network network(Hyper h) {
        return new ForecasterNetwork(
                h.cell(),
                h.hiddenSize(),
                h.layers(),
                h.dropout(),
                h.attention(),
                h.window(),
                series.width(),
                spec.horizon());
    }

    @Override
    public void check(Hyper h, int folds) {
        int window = h.window();
        int horizon = spec.horizon();
        int length = series.length();
        if (trainEnd - window - horizon + 1 < 1) {
            throw Failure.unprocessable(
                    "window",
                    "window " + window + " and horizon " + horizon + " need a training part of at least "
                            + (window + horizon) + " steps; it has " + trainEnd + " of the series' " + length);
        }
        if (valEnd - trainEnd < horizon) {
            throw Failure.unprocessable(
                    "training.validation_fraction",
                    "the validation part has " + (valEnd - trainEnd) + " steps; horizon " + horizon + " needs at least "
                            + horizon);
        }
        if (length > valEnd && length - valEnd < horizon) {
            throw Failure.unprocessable(
                    "training.test_fraction",
                    "the test part has " + (length - valEnd) + " steps; horizon " + horizon + " needs at least "
                            + horizon + " (or set test_fraction 0)");
        }
        if (folds > 0 && trainEnd / (folds + 1) < window + horizon) {
            throw Failure.unprocessable(
                    "search.folds",
                    folds + " folds of the " + trainEnd + "-step training part are "
                            + trainEnd / (folds + 1) + " steps each; window " + window + " and horizon " + horizon
                            + " need "
                            + (window + horizon));
        }
    }

    @Override
    public Prepared prepare(Hyper h, int trainEnd, int valEnd) {
        CleanedSeries.Scaling scaling = series.fitScaling(trainEnd);
        return new Prepared(
                windows(h.window(), scaling, h.window(), trainEnd),
                windows(h.window(), scaling, Math.max(trainEnd, h.window()), valEnd),
                scaling,
                trainEnd,
                valEnd);
    }

    /** Examples whose first target step {@code t} lies in {@code [from, to - horizon]}. */
    Samples windows(int window, CleanedSeries.Scaling scaling, int from, int to) {
        int horizon = spec.horizon();
        int width = series.width();
        int n = Math.max(0, to - horizon - from + 1);
        float[] x = new float[n * window * width];
        float[] y = new float[n * horizon];
        for (int i = 0; i < n; i++) {
            int t = from + i;
            for (int s = 0; s < window; s++) {
                for (int f = 0; f < width; f++) {
                    x[(i * window + s) * width + f] = scaling.scale(series.values()[t - window + s][f], f);
                }
            }
            for (int k = 0; k < horizon; k++) {
                y[i * horizon + k] = scaling.scale(series.target(t + k), series.target());
            }
        }
        return new Samples(
                HostTensor.ofFloats(new long[] {n, window, width}, x), HostTensor.ofFloats(new long[] {n, horizon}, y));
    }

    @Override
    public double score(Prepared prepared, EpochLoop.Fitted fitted) {
        return Math.sqrt(fitted.bestValLoss()) * prepared.scaling().std()[series.target()];
    }

    @Override
    public Report report(Hyper h, Prepared prepared, EpochLoop.Fitted fitted, Device device) {
        try (TrainedModel model = new TrainedModel(network(h), fitted.bestParams(), device)) {
            return new ForecastReport(this, h, prepared, model, spec.season()).build(fitted);
        }
    }
}
