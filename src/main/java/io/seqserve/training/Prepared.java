package io.seqserve.training;

/**
 * Examples for one training run: training and validation samples cut from a split of the data, and the
 * scaling fitted on its training part (null for text).
 */
record Prepared(Samples train, Samples val, Series.Scaling scaling, int trainEnd, int valEnd) {}
