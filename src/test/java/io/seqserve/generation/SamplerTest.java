package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {1.0f, 3.0f, 2.5f, -1.0f, 0.0f};
    private static final int[] NOTHING_SEEN = new int[LOGITS.length];

    private static SamplingParams params(double temperature, int topK, double topP, double penalty) {
        return SamplingParams.of(10, temperature, topK, topP, penalty, null, List.of(), 10, 100);
    }

    private static List<Integer> draw(SamplingParams p, long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Sampler.next(LOGITS, false, p, NOTHING_SEEN, random));
        }
        return ids;
    }

    @Test
    void temperatureZeroIsArgmaxForLogitsAndProbabilities() {
        assertThat(Sampler.next(LOGITS, false, params(0, 0, 1, 1), NOTHING_SEEN, new SplittableRandom(1)))
                .isEqualTo(1);
        float[] probabilities = {0.1f, 0.2f, 0.6f, 0.1f, 0f};
        assertThat(Sampler.next(probabilities, true, params(0, 0, 1, 1), NOTHING_SEEN, new SplittableRandom(1)))
                .isEqualTo(2);
    }

    @Test
    void aSeedFixesTheDrawsAndTopKAndTopPNarrowThem() {
        assertThat(draw(params(1, 0, 1, 1), 42, 200)).isEqualTo(draw(params(1, 0, 1, 1), 42, 200));
        assertThat(new HashSet<>(draw(params(1, 0, 1, 1), 42, 500))).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(new HashSet<>(draw(params(1, 2, 1, 1), 42, 500))).containsExactlyInAnyOrder(1, 2);
        assertThat(new HashSet<>(draw(params(1, 1, 1, 1), 42, 50))).containsExactly(1);
        // softmax of LOGITS: 0.55 for id 1, 0.34 for id 2; top_p 0.5 keeps id 1 alone, 0.6 both.
        assertThat(new HashSet<>(draw(params(1, 0, 0.5, 1), 42, 200))).containsExactly(1);
        assertThat(new HashSet<>(draw(params(1, 0, 0.6, 1), 42, 500))).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void highTemperatureFlattensAndLowTemperatureSharpens() {
        long hot =
                draw(params(100, 0, 1, 1), 5, 1000).stream().filter(i -> i == 1).count();
        long cold = draw(params(0.05, 0, 1, 1), 5, 1000).stream()
                .filter(i -> i == 1)
                .count();
        assertThat(hot).isLessThan(300);
        assertThat(cold).isGreaterThan(990);
    }

    @Test
    void theRepetitionPenaltyPushesSeenTokensDown() {
        int[] seen = {0, 1, 0, 0, 0};
        assertThat(Sampler.next(LOGITS, false, params(0, 0, 1, 1.0), seen, new SplittableRandom(1)))
                .isEqualTo(1);
        assertThat(Sampler.next(LOGITS, false, params(0, 0, 1, 1.5), seen, new SplittableRandom(1)))
                .isEqualTo(2);
        // For probabilities the log is negative, so the penalty multiplies it.
        float[] probabilities = {0.05f, 0.5f, 0.4f, 0.05f, 0f};
        assertThat(Sampler.next(probabilities, true, params(0, 0, 1, 1.5), seen, new SplittableRandom(1)))
                .isEqualTo(2);
    }

    @Test
    void scoresWithNothingUsableAreRefused() {
        float[] nan = {Float.NaN, Float.NaN};
        assertThatThrownBy(() -> Sampler.next(nan, false, params(1, 0, 1, 1), new int[2], new SplittableRandom(1)))
                .isInstanceOf(Failure.class);
    }

    @Test
    void parametersAreValidated() {
        Set<String> fields = new HashSet<>();
        int refused = 0;
        Runnable[] bad = {
            () -> SamplingParams.of(0, null, null, null, null, null, null, 10, 100),
            () -> SamplingParams.of(101, null, null, null, null, null, null, 10, 100),
            () -> SamplingParams.of(null, -1.0, null, null, null, null, null, 10, 100),
            () -> SamplingParams.of(null, Double.NaN, null, null, null, null, null, 10, 100),
            () -> SamplingParams.of(null, null, -1, null, null, null, null, 10, 100),
            () -> SamplingParams.of(null, null, null, 0.0, null, null, null, 10, 100),
            () -> SamplingParams.of(null, null, null, null, -2.0, null, null, 10, 100),
            () -> SamplingParams.of(null, null, null, null, null, null, List.of(""), 10, 100),
        };
        for (Runnable r : bad) {
            try {
                r.run();
            } catch (Failure e) {
                refused++;
                assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID);
                fields.add(e.errors().get(0).field());
            }
        }
        assertThat(refused).isEqualTo(bad.length);
        assertThat(fields)
                .containsExactlyInAnyOrder("max_tokens", "temperature", "top_k", "top_p", "repetition_penalty", "stop");
        SamplingParams defaults = SamplingParams.of(null, null, null, null, null, null, null, 10, 100);
        assertThat(defaults.maxTokens()).isEqualTo(10);
        assertThat(defaults.temperature()).isEqualTo(1.0);
    }
}
