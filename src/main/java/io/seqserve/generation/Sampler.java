package io.seqserve.generation;

import io.seqserve.Failure;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of scores: repetition penalty, then greedy argmax or temperature,
 * top-k and top-p (nucleus) sampling. Uses StrictMath and a {@link SplittableRandom} so that a seed gives
 * the same tokens on every JVM and run.
 */
final class Sampler {

    private Sampler() {}

    /**
     * @param scores        logits, or probabilities when {@code probabilities} is true
     * @param seen          how often each token id occurred so far (prompt and continuation)
     */
    static int next(float[] scores, boolean probabilities, SamplingParams params, int[] seen, SplittableRandom random) {
        double[] logits = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double s = probabilities ? StrictMath.log(Math.max(0, scores[i])) : scores[i];
            logits[i] = Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
            if (params.repetitionPenalty() != 1 && seen[i] > 0) {
                // CTRL's penalty, as in Hugging Face: shrink positive logits, push negative ones further down.
                logits[i] =
                        logits[i] > 0 ? logits[i] / params.repetitionPenalty() : logits[i] * params.repetitionPenalty();
            }
        }
        int best = argmax(logits);
        if (logits[best] == Double.NEGATIVE_INFINITY || logits[best] == Double.POSITIVE_INFINITY) {
            throw Failure.unprocessable("the model returned no usable scores (NaN or infinite) for the next token");
        }
        if (params.greedy()) {
            return best;
        }
        Integer[] order = candidates(logits, params.topK());
        double[] weights = new double[order.length];
        double total = 0;
        for (int i = 0; i < order.length; i++) {
            weights[i] = StrictMath.exp((logits[order[i]] - logits[best]) / params.temperature());
            total += weights[i];
        }
        int kept = nucleus(weights, total, params.topP());
        double keptTotal = 0;
        for (int i = 0; i < kept; i++) {
            keptTotal += weights[i];
        }
        double r = random.nextDouble() * keptTotal;
        for (int i = 0; i < kept; i++) {
            r -= weights[i];
            if (r < 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Token ids by descending score (ties by id), cut to the top {@code k} when k > 0. */
    private static Integer[] candidates(double[] logits, int k) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order, (a, b) -> logits[a] != logits[b] ? Double.compare(logits[b], logits[a]) : Integer.compare(a, b));
        return k > 0 && k < order.length ? Arrays.copyOf(order, k) : order;
    }

    /** How many of the (descending) weights form the smallest prefix holding {@code topP} of the mass. */
    private static int nucleus(double[] weights, double total, double topP) {
        if (topP >= 1) {
            return weights.length;
        }
        double mass = 0;
        for (int i = 0; i < weights.length; i++) {
            mass += weights[i] / total;
            if (mass >= topP) {
                return i + 1;
            }
        }
        return weights.length;
    }
}
