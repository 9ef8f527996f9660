package io.seqserve.generation;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.runtime.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The few tensor conversions decoding needs: ids in the model's dtype, zero state, a row's scores. */
final class Tensors {

    private Tensors() {}

    /** One row {@code [1, width]} of token ids cast to {@code dtype}, right-padded with {@code pad}. */
    static HostTensor tokens(DataType dtype, int[] ids, int width, int pad) {
        ByteBuffer buf = allocate(width * dtype.getNumOfBytes());
        for (int i = 0; i < width; i++) {
            int id = i < ids.length ? ids[i] : pad;
            switch (dtype) {
                case INT64 -> buf.putLong(id);
                case INT32 -> buf.putInt(id);
                case FLOAT32 -> buf.putFloat(id);
                case FLOAT64 -> buf.putDouble(id);
                default -> throw new IllegalStateException("token ids cannot be " + dtype);
            }
        }
        buf.flip();
        return new HostTensor(dtype, new long[] {1, width}, buf);
    }

    static HostTensor zeros(DataType dtype, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new HostTensor(dtype, shape, allocate((int) (n * dtype.getNumOfBytes())));
    }

    /** A private copy of row {@code row}, so a stream's state does not pin the whole batch's output. */
    static HostTensor row(HostTensor batch, int row) {
        HostTensor view = batch.rows(row, 1);
        ByteBuffer copy = allocate(view.buffer().remaining());
        copy.put(view.buffer());
        copy.flip();
        return new HostTensor(view.dtype(), view.shape(), copy);
    }

    /**
     * The next-token scores of row {@code row}: of {@code [n, vocab]}, or of {@code [n, seq, vocab]} at
     * {@code position} when the output has one step per input position ({@code seq == width}), else its last step.
     */
    static float[] scores(HostTensor scores, int row, int position, int width, int vocabularySize) {
        if (scores.rank() != 2 && scores.rank() != 3) {
            // Declared output shapes were checked at load: a model answering otherwise breaks its own contract.
            throw Failure.internal("the model returned scores of rank " + scores.rank()
                    + "; expected [batch, vocab] or [batch, sequence, vocab]");
        }
        long scored = scores.dim(scores.rank() - 1);
        if (scored != vocabularySize) {
            throw Failure.internal("the model returned " + scored + " scores per step but the vocabulary has "
                    + vocabularySize + " tokens");
        }
        long steps = scores.rank() == 3 ? scores.dim(1) : 1;
        long at = steps == width ? position : steps - 1;
        long base = ((long) row * steps + at) * vocabularySize;
        float[] out = new float[vocabularySize];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) scores.getDouble(base + i);
        }
        return out;
    }

    private static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
