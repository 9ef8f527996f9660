package io.seqserve.training.task;

import ai.djl.Device;
import io.seqserve.Failure;
import io.seqserve.runtime.HostTensor;
import io.seqserve.training.data.Dataset;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.training.nn.CharLmNetwork;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.Samples;
import io.seqserve.training.nn.TrainedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Character-level language modelling: the text as code points, its vocabulary (the distinct
 * characters in code point order; a token's id is its index), split chronologically like a series.
 * An example is {@code sequence_length} characters and the same shifted by one; training examples
 * overlap (stride a quarter of the length), validation and test ones do not.
 */
final class TextTask implements LearningTask {

    private final List<String> vocabulary;
    private final long[] ids;
    private final int trainEnd;
    private final int valEnd;

    private TextTask(String text, TaskSpec spec) {
        TreeSet<Integer> distinct = new TreeSet<>();
        text.codePoints().forEach(distinct::add);
        this.vocabulary = distinct.stream().map(Character::toString).toList();
        Map<Integer, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i).codePointAt(0), i);
        }
        this.ids = text.codePoints().mapToLong(index::get).toArray();
        int test = (int) Math.round(ids.length * spec.testFraction());
        int val = (int) Math.round(ids.length * spec.validationFraction());
        this.valEnd = ids.length - test;
        this.trainEnd = valEnd - val;
    }

    static TextTask create(TaskSpec spec, DatasetStore datasets) {
        DataRef ref = spec.data();
        String text = ref.text();
        if (ref.id() != null) {
            Dataset dataset = datasets.forJob(ref.id(), "dataset.id");
            if (!dataset.kind().equals(Dataset.TEXT)) {
                throw Failure.unprocessable(
                        "dataset.id", "'" + ref.id() + "' is a CSV data set; text-generation needs a text one");
            }
            text = datasets.text(dataset);
        }
        if (text == null || text.isEmpty()) {
            throw Failure.unprocessable("dataset", "the text is empty");
        }
        return new TextTask(text, spec);
    }

    List<String> vocabulary() {
        return vocabulary;
    }

    @Override
    public Splits splits() {
        return Splits.complete(Math.max(0, trainEnd), Math.max(0, valEnd), ids.length);
    }

    @Override
    public int trainEnd() {
        return trainEnd;
    }

    @Override
    public int valEnd() {
        return valEnd;
    }

    @Override
    public CharLmNetwork network(Hyper h) {
        return new CharLmNetwork(
                h.cell(), h.hiddenSize(), h.layers(), h.dropout(), vocabulary.size(), h.embeddingSize());
    }

    @Override
    public void check(Hyper h, int folds) {
        int needed = h.sequenceLength() + 1;
        if (trainEnd < needed) {
            throw Failure.unprocessable(
                    "sequence_length",
                    "sequence_length " + h.sequenceLength() + " needs a training part of at least " + needed
                            + " characters; it has " + trainEnd + " of the text's " + ids.length);
        }
        if (valEnd - trainEnd < needed) {
            throw Failure.unprocessable(
                    "sequence_length",
                    "sequence_length " + h.sequenceLength() + " needs a validation part of at least " + needed
                            + " characters; it has " + (valEnd - trainEnd)
                            + " (raise validation_fraction or give more text)");
        }
        if (folds > 0 && trainEnd / (folds + 1) < needed) {
            throw Failure.unprocessable(
                    "search.folds",
                    folds + " folds of the " + trainEnd + "-character training part are " + trainEnd / (folds + 1)
                            + " characters each; sequence_length " + h.sequenceLength() + " needs " + needed);
        }
    }

    @Override
    public Prepared prepare(Hyper h, int trainEnd, int valEnd) {
        int length = h.sequenceLength();
        return new Prepared(
                sequences(length, 0, trainEnd, Math.max(1, length / 4)),
                sequences(length, trainEnd, valEnd, length),
                null,
                trainEnd,
                valEnd);
    }

    private Samples sequences(int length, int from, int to, int stride) {
        int span = to - from - length - 1;
        int n = span < 0 ? 0 : span / stride + 1;
        long[] x = new long[n * length];
        long[] y = new long[n * length];
        for (int i = 0; i < n; i++) {
            int start = from + i * stride;
            System.arraycopy(ids, start, x, i * length, length);
            System.arraycopy(ids, start + 1, y, i * length, length);
        }
        long[] shape = {n, length};
        return new Samples(HostTensor.ofLongs(shape, x), HostTensor.ofLongs(shape, y));
    }

    @Override
    public double score(Prepared prepared, EpochLoop.Fitted fitted) {
        return Math.exp(fitted.bestValLoss());
    }

    @Override
    public Report report(Hyper h, Prepared prepared, EpochLoop.Fitted fitted, Device device) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("val_loss", ForecastReport.round(fitted.bestValLoss()));
        metrics.put("val_perplexity", ForecastReport.round(Math.exp(fitted.bestValLoss())));
        metrics.put(
                "unigram_val_perplexity",
                ForecastReport.round(unigramPerplexity(prepared.trainEnd(), prepared.valEnd())));
        Samples test = sequences(h.sequenceLength(), valEnd, ids.length, h.sequenceLength());
        if (test.size() > 0) {
            try (TrainedModel model = new TrainedModel(network(h), fitted.bestParams(), device)) {
                metrics.put("test_perplexity", ForecastReport.round(Math.exp(model.loss(test))));
            }
        }
        metrics.put("best_epoch", fitted.bestEpoch());
        metrics.put("epochs_trained", fitted.history().size());
        metrics.put("vocabulary_size", vocabulary.size());
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("level", "char");
        block.put("vocabulary", new ArrayList<>(vocabulary));
        block.put("output", "logits");
        // The generation feature decodes one token per step carrying these (O(n) instead of re-feeding).
        List<String> inputs = network(h).inputNames();
        List<String> states = inputs.subList(1, inputs.size());
        block.put("state", Map.of("inputs", states, "outputs", states));
        return new Report(block, metrics);
    }

    /** The baseline: character frequencies of the training part (add-one smoothed) on the validation part. */
    private double unigramPerplexity(int trainEnd, int valEnd) {
        double[] counts = new double[vocabulary.size()];
        Arrays.fill(counts, 1);
        for (int i = 0; i < trainEnd; i++) {
            counts[(int) ids[i]]++;
        }
        double total = trainEnd + counts.length;
        double logLoss = 0;
        for (int i = trainEnd; i < valEnd; i++) {
            logLoss -= Math.log(counts[(int) ids[i]] / total);
        }
        return Math.exp(logLoss / Math.max(1, valEnd - trainEnd));
    }
}
