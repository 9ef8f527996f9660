package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    private static final TensorSpec WINDOW = new TensorSpec("input", DataType.FLOAT32, new long[] {-1, 24, 1});

    @Test
    void everyBatchSizeAPoolCanFormUpTo64ThenPowersOfTwoAndTheMaximum() {
        assertThat(WarmUp.batchSizes(1)).containsExactly(1);
        assertThat(WarmUp.batchSizes(32)).hasSize(32).startsWith(1, 2, 3).endsWith(31, 32);
        assertThat(WarmUp.batchSizes(300)).endsWith(63, 64, 128, 256, 300).hasSize(67);
    }

    @Test
    void eachPassStacksThatManyOneRowRequestsOfZerosOfTheDeclaredShape() {
        WarmUp warmUp = WarmUp.zeros(List.of(WINDOW), true, 4, 2);
        assertThat(warmUp.passes()).hasSize(8);
        assertThat(warmUp.passes().stream().map(List::size)).containsExactly(1, 2, 3, 4, 1, 2, 3, 4);
        HostTensor row = warmUp.passes().get(3).get(0).get(0);
        assertThat(row.shape()).containsExactly(1, 24, 1);
        assertThat(row.toFloatArray()).containsOnly(0f);
    }

    @Test
    void aModelThatCannotBatchIsWarmedAtItsOwnShapeAndFreeDimensionsGetALength() {
        TensorSpec fixed = new TensorSpec("ids", DataType.INT64, new long[] {1, -1});
        WarmUp warmUp = WarmUp.zeros(List.of(fixed), false, 32, 2);
        assertThat(warmUp.passes())
                .hasSize(2)
                .allSatisfy(pass -> assertThat(pass).hasSize(1));
        assertThat(warmUp.passes().get(0).get(0).get(0).shape()).containsExactly(1, WarmUp.FREE_LENGTH);
    }
}
