package io.seqserve.training.task;

/**
 * What a job learns, as the task sees it: the kind, the data, the forecasting horizon and season (0 for
 * text), the chronological split, and the share of a series' values that may be missing (and filled in)
 * before training refuses it.
 */
public record TaskSpec(
        boolean text,
        DataRef data,
        int horizon,
        int season,
        double validationFraction,
        double testFraction,
        double maxMissingFraction) {}
