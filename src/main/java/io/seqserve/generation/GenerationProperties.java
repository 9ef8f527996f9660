package io.seqserve.generation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of text generation ({@code seqserve.generation.*}).
 *
 * @param maxTokens           largest {@code max_tokens} a request may ask for
 * @param defaultMaxTokens    {@code max_tokens} of a {@code :generate} request that leaves it out
 * @param maxPromptLength     longest prompt, in characters
 * @param maxConcurrentStreams generations running at once over all models; more are refused with CAPACITY
 * @param deadline            wall-clock budget of one generation; when it passes the generation ends
 *                            cleanly with {@code finish_reason: "deadline"}
 * @param heartbeatInterval   an SSE comment is sent when no event went out for this long
 * @param maxStepRows         most streams one forward pass carries; more active streams take more passes
 * @param disconnectProbeInterval a generation answered as one JSON body writes a space before the body
 *                            every this often, so that a client that left is noticed and its generation
 *                            stopped (Tomcat notices a closed connection only when it writes); until the
 *                            first space the status is open, so a failure that early is still a problem
 */
@ConfigurationProperties("seqserve.generation")
public record GenerationProperties(
        @DefaultValue("4096") int maxTokens,
        @DefaultValue("100") int defaultMaxTokens,
        @DefaultValue("8192") int maxPromptLength,
        @DefaultValue("64") int maxConcurrentStreams,
        @DefaultValue("300s") Duration deadline,
        @DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("64") int maxStepRows,
        @DefaultValue("1s") Duration disconnectProbeInterval) {

    public GenerationProperties {
        if (maxTokens < 1 || defaultMaxTokens < 1 || defaultMaxTokens > maxTokens) {
            throw new IllegalArgumentException("seqserve.generation: need 1 <= default-max-tokens <= max-tokens");
        }
        if (maxPromptLength < 1 || maxConcurrentStreams < 1 || maxStepRows < 1) {
            throw new IllegalArgumentException(
                    "seqserve.generation: max-prompt-length, max-concurrent-streams and max-step-rows must be >= 1");
        }
        if (deadline.isNegative()
                || deadline.isZero()
                || heartbeatInterval.isNegative()
                || heartbeatInterval.isZero()
                || disconnectProbeInterval.isNegative()
                || disconnectProbeInterval.isZero()) {
            throw new IllegalArgumentException("seqserve.generation: deadline, heartbeat-interval and"
                    + " disconnect-probe-interval must be positive");
        }
    }
}
