package io.seqserve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Stacking along a batch axis other than 0 and slicing back, as a PyTorch RNN state {@code [layers, batch, hidden]} needs. */
class HostTensorTest {

    /** {@code [layers, 1, hidden]} with values {@code base + layer * 10 + h}. */
    private static HostTensor state(int layers, int hidden, float base) {
        float[] v = new float[layers * hidden];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < hidden; h++) {
                v[l * hidden + h] = base + l * 10 + h;
            }
        }
        return HostTensor.ofFloats(new long[] {layers, 1, hidden}, v);
    }

    @Test
    void concatAlongAxisOneInterleavesLayersAndSliceGivesEachRowBack() {
        HostTensor a = state(2, 3, 100);
        HostTensor b = state(2, 3, 200);
        HostTensor c = state(2, 3, 300);
        HostTensor stacked = HostTensor.concat(List.of(a, b, c), 1);
        assertThat(stacked.shape()).containsExactly(2, 3, 3);
        // layer 0: rows a, b, c; then layer 1: rows a, b, c
        assertThat(stacked.toFloatArray())
                .containsExactly(
                        100, 101, 102, 200, 201, 202, 300, 301, 302, 110, 111, 112, 210, 211, 212, 310, 311, 312);
        assertThat(stacked.slice(1, 0, 1).toFloatArray()).containsExactly(a.toFloatArray());
        assertThat(stacked.slice(1, 1, 1).toFloatArray()).containsExactly(b.toFloatArray());
        assertThat(stacked.slice(1, 2, 1).toFloatArray()).containsExactly(c.toFloatArray());
        assertThat(stacked.slice(1, 1, 2).shape()).containsExactly(2, 2, 3);
        assertThat(stacked.slice(1, 1, 2).toFloatArray())
                .containsExactly(200, 201, 202, 300, 301, 302, 210, 211, 212, 310, 311, 312);
    }

    @Test
    void withOneLayerTheSliceIsAViewAndAxisZeroIsThePlainAppend() {
        HostTensor stacked = HostTensor.concat(List.of(state(1, 2, 1), state(1, 2, 5)), 1);
        assertThat(stacked.toFloatArray()).containsExactly(1, 2, 5, 6);
        assertThat(stacked.slice(1, 1, 1).toFloatArray()).containsExactly(5, 6);
        HostTensor rows = HostTensor.concat(
                List.of(
                        HostTensor.ofFloats(new long[] {1, 2}, new float[] {1, 2}),
                        HostTensor.ofFloats(new long[] {2, 2}, new float[] {3, 4, 5, 6})),
                0);
        assertThat(rows.shape()).containsExactly(3, 2);
        assertThat(rows.slice(0, 1, 2).toFloatArray()).containsExactly(3, 4, 5, 6);
    }

    @Test
    void stackKeysIgnoreOnlyTheBatchAxis() {
        HostTensor one = state(1, 4, 0);
        HostTensor two = HostTensor.concat(List.of(one, one), 1);
        assertThat(one.stackKey(1)).isEqualTo(two.stackKey(1));
        assertThat(one.stackKey(0)).isNotEqualTo(two.stackKey(0));
        assertThat(state(2, 4, 0).stackKey(1)).isNotEqualTo(one.stackKey(1));
    }

    @Test
    void aCopyOwnsItsBytes() {
        HostTensor stacked = HostTensor.concat(List.of(state(1, 2, 1), state(1, 2, 5)), 1);
        HostTensor copy = stacked.slice(1, 0, 1).copy();
        assertThat(copy.bytes()).isEqualTo(8);
        assertThat(copy.toFloatArray()).containsExactly(1, 2);
    }
}
