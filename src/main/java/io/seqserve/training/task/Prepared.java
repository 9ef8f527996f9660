package io.seqserve.training.task;

import io.seqserve.series.Layout;
import io.seqserve.training.nn.Samples;

/**
 * Examples for one training run: training and validation samples cut from a split of the data, and the
 * layout (with the scaling fitted on its training part) that cut them (null for text).
 */
public record Prepared(Samples train, Samples val, Layout layout, int trainEnd, int valEnd) {}
