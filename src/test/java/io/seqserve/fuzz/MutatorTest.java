package io.seqserve.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fuzz suite's own parts: its corpus is valid JSON and its mutations are deterministic per seed. */
class MutatorTest {

    @Test
    void everyFamilyHasACorpusAndPaths() {
        assertThat(Families.all()).allSatisfy(f -> {
            assertThat(f.corpus()).isNotEmpty();
            assertThat(f.paths()).isNotEmpty();
        });
    }

    @Test
    void everyCorpusBodySurvivesThousandsOfMutations() {
        SplittableRandom random = new SplittableRandom(1);
        for (Family family : Families.all()) {
            for (int i = 0; i < 2000; i++) {
                Mutator mutator = new Mutator(random.split());
                byte[] body = family.bytesOnly()
                        ? mutator.damage(family.corpus().get(0).asString().getBytes())
                        : mutator.mutate(family.guard()
                                .apply(family.corpus()
                                        .get(i % family.corpus().size())
                                        .deepCopy()));
                assertThat(body).isNotNull();
            }
        }
    }

    @Test
    void theSameSeedMakesTheSameBodies() {
        byte[][] first = bodies(42);
        assertThat(bodies(42)).isDeepEqualTo(first);
        assertThat(Arrays.deepEquals(bodies(43), first)).isFalse();
    }

    private static byte[][] bodies(long seed) {
        Mutator mutator = new Mutator(new SplittableRandom(seed));
        byte[][] out = new byte[200][];
        for (int i = 0; i < out.length; i++) {
            out[i] = mutator.mutate(Mutator.parse("{\"series\": [{\"values\": [1, 2, null]}], \"horizon\": 2}"));
        }
        return out;
    }
}
