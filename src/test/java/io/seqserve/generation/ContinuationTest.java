package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.Failure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stop strings cut the text, and the tokens passed on always add up to the text. */
class ContinuationTest {

    private final List<String> emitted = new ArrayList<>();
    private final GenerationListener out = new GenerationListener() {
        @Override
        public void onToken(int index, String text) {
            assertThat(index).isEqualTo(emitted.size());
            emitted.add(text);
        }

        @Override
        public void onFinish(GenerationResult result) {}

        @Override
        public void onError(Failure error) {}
    };

    @Test
    void withoutStopStringsEveryTokenPassesAtOnce() {
        Continuation c = new Continuation(List.of());
        assertThat(c.append(0, "ab", out)).isFalse();
        assertThat(c.append(1, "c", out)).isFalse();
        assertThat(emitted).containsExactly("ab", "c");
        assertThat(c.text()).isEqualTo("abc");
    }

    @Test
    void aTokenThatMayStartAStopStringIsHeldUntilItCannot() {
        Continuation c = new Continuation(List.of("END"));
        c.append(0, "the ", out);
        c.append(1, "E", out);
        assertThat(emitted).containsExactly("the ");
        c.append(2, "x", out);
        assertThat(emitted).containsExactly("the ", "E", "x");
        c.append(3, "EN", out);
        c.flush(out);
        assertThat(String.join("", emitted)).isEqualTo(c.text()).isEqualTo("the ExEN");
    }

    @Test
    void aStopStringAcrossTokensCutsTheTextAndTheTokenItStartsIn() {
        Continuation c = new Continuation(List.of("\n\n", "STOP"));
        assertThat(c.append(0, "one", out)).isFalse();
        assertThat(c.append(1, " tw", out)).isFalse();
        assertThat(c.append(2, "o S", out)).isFalse();
        assertThat(c.append(3, "TO", out)).isFalse();
        assertThat(c.append(4, "Pped", out)).isTrue();
        assertThat(c.text()).isEqualTo("one two ");
        assertThat(emitted).containsExactly("one", " tw", "o ");
        assertThat(c.sent()).isEqualTo(3);
    }

    @Test
    void theEarliestStopStringWins() {
        Continuation c = new Continuation(List.of("cd", "b"));
        assertThat(c.append(0, "abcd", out)).isTrue();
        assertThat(c.text()).isEqualTo("a");
        assertThat(emitted).containsExactly("a");
    }

    @Test
    void aStopStringAtTheVeryStartLeavesNothing() {
        Continuation c = new Continuation(List.of("x"));
        assertThat(c.append(0, "x", out)).isTrue();
        assertThat(c.text()).isEmpty();
        assertThat(emitted).isEmpty();
        assertThat(c.sent()).isZero();
    }
}
