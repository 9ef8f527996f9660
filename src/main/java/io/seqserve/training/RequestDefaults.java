package io.seqserve.training;

import java.util.List;

/** The defaults of a {@link TrainingRequest} (API.md and README list them), filled in where a field is left out. */
final class RequestDefaults {

    private RequestDefaults() {}

    /** {@code r} with every default filled in. */
    static TrainingRequest of(TrainingRequest r) {
        boolean isText = TrainingRequest.TEXT.equals(r.task());
        TrainingRequest.Architecture a = r.architecture() == null
                ? new TrainingRequest.Architecture(null, null, null, null, null)
                : r.architecture();
        TrainingRequest.Settings s = r.training() == null
                ? new TrainingRequest.Settings(null, null, null, null, null, null, null)
                : r.training();
        TrainingRequest.Search q = r.search() == null
                ? null
                : new TrainingRequest.Search(
                        r.search().learningRate(),
                        r.search().hiddenSize(),
                        r.search().layers(),
                        r.search().dropout(),
                        r.search().cell(),
                        r.search().attention(),
                        r.search().batchSize(),
                        r.search().window(),
                        r.search().sequenceLength(),
                        r.search().embeddingSize(),
                        or(r.search().folds(), 3));
        return new TrainingRequest(
                r.modelName(),
                or(r.task(), TrainingRequest.FORECASTING),
                r.dataset(),
                isText ? null : or(r.window(), 24),
                isText ? null : or(r.horizon(), 1),
                isText ? null : or(r.season(), 12),
                isText ? or(r.sequenceLength(), 64) : null,
                isText ? or(r.embeddingSize(), 16) : null,
                new TrainingRequest.Architecture(
                        or(a.cell(), "lstm"),
                        or(a.hiddenSize(), 32),
                        or(a.layers(), 1),
                        or(a.dropout(), 0.0),
                        or(a.attention(), false)),
                new TrainingRequest.Settings(
                        or(s.epochs(), 20),
                        or(s.batchSize(), 32),
                        or(s.learningRate(), 0.005),
                        or(s.validationFraction(), 0.2),
                        or(s.testFraction(), 0.1),
                        or(s.earlyStoppingPatience(), 5),
                        or(s.seed(), 0L)),
                q,
                or(r.device(), "auto"),
                r.description(),
                isText ? null : or(r.calendar(), List.of()),
                r.frequency(),
                isText ? null : or(r.idFeatures(), false),
                r.lossWeights(),
                isText ? null : or(r.evaluationHorizon(), 12),
                r.publish());
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
