package io.seqserve.training.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The loop's example order, which a resumed epoch relies on to continue where it stopped. */
class EpochLoopTest {

    @Test
    void everyEpochHasItsOwnReproducibleOrder() {
        assertThat(EpochLoop.order(50, 7, 3))
                .isEqualTo(EpochLoop.order(50, 7, 3))
                .isNotEqualTo(EpochLoop.order(50, 7, 4));
        assertThat(EpochLoop.order(50, 7, 3)).containsExactlyInAnyOrder(EpochLoop.order(50, 8, 3));
    }
}
