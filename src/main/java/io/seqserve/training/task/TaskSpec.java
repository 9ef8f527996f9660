package io.seqserve.training.task;

import java.util.List;

/**
 * What a job learns, as the task sees it: the kind, the data, the forecasting horizon and season (0 for
 * text), the chronological split, and the share of a series' values that may be missing (and filled in)
 * before training refuses it. Forecasting jobs may also derive {@code calendar} features from the data's
 * time column (at {@code frequency}, null: inferred), give a global model one indicator per series id
 * ({@code idFeatures}), weight the targets' losses, and roll next-step models forward
 * {@code evaluationHorizon} steps when they are evaluated (residuals for intervals, per-step metrics).
 */
public record TaskSpec(
        boolean text,
        DataRef data,
        int horizon,
        int season,
        double validationFraction,
        double testFraction,
        double maxMissingFraction,
        List<String> calendar,
        String frequency,
        boolean idFeatures,
        List<Double> lossWeights,
        int evaluationHorizon) {}
