package io.seqserve.generation;

/**
 * A finished generation. {@code finishReason}: {@code length} (max_tokens reached), {@code stop} (a stop
 * string was produced; it and what followed are cut), {@code deadline} (the configured time budget ran out).
 */
record GenerationResult(
        String model, long version, String text, String finishReason, int promptTokens, int completionTokens) {}
