package io.seqserve.training.task;

import ai.djl.Device;
import io.seqserve.Failure;
import io.seqserve.runtime.HostTensor;
import io.seqserve.series.Fill;
import io.seqserve.series.Frame;
import io.seqserve.series.Layout;
import io.seqserve.series.Scaling;
import io.seqserve.series.Timeline;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.ForecasterNetwork;
import io.seqserve.training.nn.Network;
import io.seqserve.training.nn.Samples;
import io.seqserve.training.nn.TrainedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Forecasting: one or many series (a global model), each split chronologically into training, validation and
 * test parts, refused when too much of it would be filled in, then cleaned (gaps filled linearly). Examples are
 * windows of {@code window} input rows cut by the model's {@link Layout} (the same code that builds served
 * inputs), scaled per column with statistics of the training parts only, and the next {@code horizon} values
 * of every target.
 */
final class SeriesTask implements LearningTask {

    /**
     * One series: filled rows {@code [t][v]} in the plan's variable order, which values were observed (not filled
     * in: only those are scored), its timestamps (or null), its split.
     */
    record Part(String id, double[][] rows, boolean[][] observed, Timeline timeline, int trainEnd, int valEnd) {

        int length() {
            return rows.length;
        }

        Frame frame() {
            return new Frame(rows, Frame.NO_FUTURE, timeline, Frame.NO_STATICS, id);
        }
    }

    private final Plan plan;
    private final TaskSpec spec;
    private final List<Part> parts;
    private final Splits splits;
    private final Part reference;

    private SeriesTask(SeriesSource source, TaskSpec spec) {
        this.plan = source.plan();
        this.spec = spec;
        List<Part> parts = new ArrayList<>();
        Splits total = null;
        for (SeriesSource.Raw raw : source.series()) {
            double[][] columns = raw.columns();
            int length = columns[0].length;
            int test = (int) Math.round(length * spec.testFraction());
            int val = (int) Math.round(length * spec.validationFraction());
            int valEnd = length - test;
            int trainEnd = valEnd - val;
            List<String> names = source.series().size() == 1
                    ? plan.names()
                    : plan.names().stream()
                            .map(n -> n + " (series " + raw.id() + ")")
                            .toList();
            Splits.refuseMadeUp(columns, names, source.field(), trainEnd, valEnd, spec.maxMissingFraction());
            Splits counted = Splits.count(columns, Math.max(0, trainEnd), Math.max(0, valEnd));
            total = total == null ? counted : total.plus(counted);
            double[][] rows = new double[length][columns.length];
            boolean[][] observed = new boolean[length][columns.length];
            for (int t = 0; t < length; t++) {
                for (int v = 0; v < columns.length; v++) {
                    rows[t][v] = columns[v][t];
                    observed[t][v] = !Double.isNaN(columns[v][t]);
                }
            }
            Fill.LINEAR.apply(rows, "dataset", names);
            parts.add(new Part(raw.id(), rows, observed, raw.timeline(), trainEnd, valEnd));
        }
        this.parts = List.copyOf(parts);
        this.splits = total;
        this.reference = parts.stream()
                .max(java.util.Comparator.comparingInt(Part::length))
                .orElseThrow();
    }

    static SeriesTask create(TaskSpec spec, DatasetStore datasets) {
        return new SeriesTask(SeriesSource.read(spec, datasets), spec);
    }

    List<Part> parts() {
        return parts;
    }

    Plan plan() {
        return plan;
    }

    @Override
    public Splits splits() {
        return splits;
    }

    /** End of the longest series' training part: folds and the final fit are given in its steps. */
    @Override
    public int trainEnd() {
        return reference.trainEnd();
    }

    @Override
    public int valEnd() {
        return reference.valEnd();
    }

    /**
     * A part's own ends for the split the pipeline asks for in the longest series' steps: its own split for the
     * final fit, the same share of its training part for a cross-validation fold.
     */
    int[] ends(Part part, int trainEnd, int valEnd) {
        if (trainEnd == reference.trainEnd() && valEnd == reference.valEnd()) {
            return new int[] {part.trainEnd(), part.valEnd()};
        }
        double share = (double) part.trainEnd() / reference.trainEnd();
        return new int[] {(int) Math.round(trainEnd * share), (int) Math.round(valEnd * share)};
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
                plan.layout(Scaling.none(plan.width())).features(),
                spec.horizon(),
                plan.targetCount(),
                plan.lossWeights());
    }

    @Override
    public void check(Hyper h, int folds) {
        int window = h.window();
        int horizon = spec.horizon();
        for (Part p : parts) {
            String of = parts.size() == 1 ? "" : " (series " + p.id() + ")";
            int length = p.length();
            if (p.trainEnd() - window - horizon + 1 < 1) {
                throw Failure.unprocessable(
                        "window",
                        "window " + window + " and horizon " + horizon + " need a training part of at least "
                                + (window + horizon) + " steps; it has " + p.trainEnd() + " of the series' " + length
                                + of);
            }
            if (p.valEnd() - p.trainEnd() < horizon) {
                throw Failure.unprocessable(
                        "training.validation_fraction",
                        "the validation part has " + (p.valEnd() - p.trainEnd()) + " steps; horizon " + horizon
                                + " needs at least " + horizon + of);
            }
            if (length > p.valEnd() && length - p.valEnd() < horizon) {
                throw Failure.unprocessable(
                        "training.test_fraction",
                        "the test part has " + (length - p.valEnd()) + " steps; horizon " + horizon + " needs at least "
                                + horizon + " (or set test_fraction 0)" + of);
            }
            if (folds > 0 && p.trainEnd() / (folds + 1) < window + horizon) {
                throw Failure.unprocessable(
                        "search.folds",
                        folds + " folds of the " + p.trainEnd() + "-step training part are "
                                + p.trainEnd() / (folds + 1) + " steps each; window " + window + " and horizon "
                                + horizon + " need " + (window + horizon) + of);
            }
        }
    }

    @Override
    public Prepared prepare(Hyper h, int trainEnd, int valEnd) {
        List<double[][]> rows = new ArrayList<>();
        int[] trainEnds = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            rows.add(parts.get(i).rows());
            trainEnds[i] = ends(parts.get(i), trainEnd, valEnd)[0];
        }
        Layout layout = plan.layout(Scaling.fit(rows, trainEnds));
        Examples train = new Examples(layout, h.window());
        Examples val = new Examples(layout, h.window());
        for (Part p : parts) {
            int[] ends = ends(p, trainEnd, valEnd);
            double[][] inputs = layout.rows(p.frame(), 0, p.length(), p.length());
            train.add(p, inputs, h.window(), ends[0]);
            val.add(p, inputs, Math.max(ends[0], h.window()), ends[1]);
        }
        return new Prepared(train.samples(), val.samples(), layout, trainEnd, valEnd);
    }

    /** Examples cut from many series: windows of input rows, and the next {@code horizon} values of each target. */
    private final class Examples {
        private final Layout layout;
        private final int window;
        private final List<float[]> inputs = new ArrayList<>();
        private final List<float[]> labels = new ArrayList<>();

        Examples(Layout layout, int window) {
            this.layout = layout;
            this.window = window;
        }

        /** Examples whose first target step {@code t} lies in {@code [from, to - horizon]}. */
        void add(Part part, double[][] rows, int from, int to) {
            int horizon = spec.horizon();
            int targets = layout.targetCount();
            for (int t = from; t <= to - horizon; t++) {
                float[] x = new float[window * layout.features()];
                for (int s = 0; s < window; s++) {
                    for (int f = 0; f < layout.features(); f++) {
                        x[s * layout.features() + f] = (float) rows[t - window + s][f];
                    }
                }
                float[] y = new float[horizon * targets];
                for (int k = 0; k < horizon; k++) {
                    for (int j = 0; j < targets; j++) {
                        double value = part.rows()[t + k][layout.targetColumn(j)];
                        y[k * targets + j] = (float) layout.targets().get(j).scale(value);
                    }
                }
                inputs.add(x);
                labels.add(y);
            }
        }

        Samples samples() {
            int n = inputs.size();
            int width = window * layout.features();
            int outputs = spec.horizon() * layout.targetCount();
            float[] x = new float[n * width];
            float[] y = new float[n * outputs];
            for (int i = 0; i < n; i++) {
                System.arraycopy(inputs.get(i), 0, x, i * width, width);
                System.arraycopy(labels.get(i), 0, y, i * outputs, outputs);
            }
            long[] dims = outputDims();
            long[] labelShape = new long[dims.length + 1];
            labelShape[0] = n;
            System.arraycopy(dims, 0, labelShape, 1, dims.length);
            return new Samples(
                    HostTensor.ofFloats(new long[] {n, window, layout.features()}, x),
                    HostTensor.ofFloats(labelShape, y));
        }

        private long[] outputDims() {
            int targets = layout.targetCount();
            if (targets == 1) {
                return new long[] {spec.horizon()};
            }
            return spec.horizon() == 1 ? new long[] {targets} : new long[] {spec.horizon(), targets};
        }
    }

    @Override
    public double score(Prepared prepared, EpochLoop.Fitted fitted) {
        double rmse = Math.sqrt(fitted.bestValLoss());
        return plan.targetCount() == 1
                ? rmse * prepared.layout().targets().get(0).std()
                : rmse;
    }

    @Override
    public Report report(Hyper h, Prepared prepared, EpochLoop.Fitted fitted, Device device) {
        try (TrainedModel model = new TrainedModel(network(h), fitted.bestParams(), device)) {
            return new ForecastReport(this, h, prepared, model, spec).build(fitted);
        }
    }
}
