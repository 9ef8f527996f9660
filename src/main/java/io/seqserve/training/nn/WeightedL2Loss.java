package io.seqserve.training.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Mean squared error of several targets at once, weighted per target (multi-task learning): with weights
 * {@code w} summing to 1, {@code sum_j w_j * MSE_j}. Predictions and labels are {@code [batch, ..., targets]},
 * the targets on the last axis; equal weights give the plain MSE over all values.
 */
final class WeightedL2Loss extends Loss {

    private final float[] weights;

    WeightedL2Loss(String name, double[] weights) {
        super(name);
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        this.weights = new float[weights.length];
        for (int j = 0; j < weights.length; j++) {
            this.weights[j] = (float) (weights[j] / sum);
        }
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray difference = predictions.singletonOrThrow().sub(labels.singletonOrThrow());
        NDArray perTarget = difference.reshape(-1, weights.length).square();
        NDArray w = perTarget.getManager().create(weights);
        return perTarget.mul(w).sum(new int[] {1}).mean();
    }
}
