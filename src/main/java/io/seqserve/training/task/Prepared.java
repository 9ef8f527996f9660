package io.seqserve.training.task;

import io.seqserve.training.nn.Samples;

/**
 * Examples for one training run: training and validation samples cut from a split of the data, and the
 * scaling fitted on its training part (null for text).
 */
public record Prepared(Samples train, Samples val, CleanedSeries.Scaling scaling, int trainEnd, int valEnd) {}
