package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.training.task.Hyper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A search's trials: every combination of its values in a fixed order, each applied to the request's hyperparameters. */
class SearchGridTest {

    @Test
    void theGridIsEveryCombinationInAFixedOrder() {
        TrainingRequest.Search search = new TrainingRequest.Search(
                List.of(0.1, 0.01), List.of(4, 8), null, null, List.of("gru"), null, null, null, null, null, 3);
        assertThat(search.gridSize()).isEqualTo(4);
        assertThat(search.grid())
                .containsExactly(
                        Map.of("cell", "gru", "hidden_size", 4, "learning_rate", 0.1),
                        Map.of("cell", "gru", "hidden_size", 4, "learning_rate", 0.01),
                        Map.of("cell", "gru", "hidden_size", 8, "learning_rate", 0.1),
                        Map.of("cell", "gru", "hidden_size", 8, "learning_rate", 0.01));
        Hyper base = new Hyper("lstm", 32, 1, 0, false, 16, 0.005, 24, 0, 0);
        assertThat(base.with(search.grid().get(3))).isEqualTo(new Hyper("gru", 8, 1, 0, false, 16, 0.01, 24, 0, 0));
    }
}
