package io.seqserve.generation;

import io.seqserve.Failure;
import java.util.List;

/**
 * How to pick each next token. {@code temperature} 0 is greedy; {@code topK} 0 and {@code topP} 1 keep
 * every token; {@code repetitionPenalty} 1 changes nothing; {@code seed} null draws a fresh one.
 */
record SamplingParams(
        int maxTokens,
        double temperature,
        int topK,
        double topP,
        double repetitionPenalty,
        Long seed,
        List<String> stop) {

    static final int MAX_STOP_STRINGS = 16;
    static final int MAX_STOP_LENGTH = 256;

    /** Validates each field; a field left out (null) takes its default. */
    static SamplingParams of(
            Integer maxTokens,
            Double temperature,
            Integer topK,
            Double topP,
            Double repetitionPenalty,
            Long seed,
            List<String> stop,
            int defaultMaxTokens,
            int maxTokensLimit) {
        int tokens = maxTokens == null ? defaultMaxTokens : maxTokens;
        if (tokens < 1 || tokens > maxTokensLimit) {
            throw Failure.invalid("max_tokens", "must be between 1 and " + maxTokensLimit);
        }
        double t = temperature == null ? 1.0 : temperature;
        if (!(t >= 0) || Double.isInfinite(t)) {
            throw Failure.invalid("temperature", "must be a number >= 0 (0 is greedy)");
        }
        int k = topK == null ? 0 : topK;
        if (k < 0) {
            throw Failure.invalid("top_k", "must be >= 0 (0 keeps every token)");
        }
        double p = topP == null ? 1.0 : topP;
        if (!(p > 0 && p <= 1)) {
            throw Failure.invalid("top_p", "must be in (0, 1]");
        }
        double penalty = repetitionPenalty == null ? 1.0 : repetitionPenalty;
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw Failure.invalid("repetition_penalty", "must be a number > 0 (1 changes nothing)");
        }
        List<String> stops = stop == null ? List.of() : List.copyOf(stop);
        if (stops.size() > MAX_STOP_STRINGS
                || stops.stream().anyMatch(s -> s.isEmpty() || s.length() > MAX_STOP_LENGTH)) {
            throw Failure.invalid(
                    "stop",
                    "at most " + MAX_STOP_STRINGS + " non-empty strings of up to " + MAX_STOP_LENGTH + " characters");
        }
        return new SamplingParams(tokens, t, k, p, penalty, seed, stops);
    }

    boolean greedy() {
        return temperature == 0;
    }
}
