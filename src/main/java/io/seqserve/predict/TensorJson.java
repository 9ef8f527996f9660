package io.seqserve.predict;

import io.seqserve.runtime.HostTensor;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A view of a model output as JSON: one row of it or all of it, as nested arrays (TF Serving) or flat
 * (V2), optionally without a trailing unit dimension. Building a view costs nothing; the numbers are
 * written straight to the response when Spring MVC serializes it, on a servlet thread, not on the model's
 * worker thread.
 *
 * @param row         the row (index along dimension 0) to write, or -1 for the whole tensor
 * @param squeezeLast leave out a trailing dimension of size 1
 * @param flat        all elements in one list, row-major
 */
@JsonSerialize(using = TensorJson.Writer.class)
record TensorJson(HostTensor tensor, int row, boolean squeezeLast, boolean flat) {

    static TensorJson whole(HostTensor tensor, boolean squeezeLast) {
        return new TensorJson(tensor, -1, squeezeLast, false);
    }

    static TensorJson row(HostTensor tensor, int row, boolean squeezeLast) {
        return new TensorJson(tensor, row, squeezeLast, false);
    }

    static TensorJson flat(HostTensor tensor) {
        return new TensorJson(tensor, -1, false, true);
    }

    static final class Writer extends ValueSerializer<TensorJson> {

        @Override
        public void serialize(TensorJson view, JsonGenerator gen, SerializationContext ctxt) {
            HostTensor tensor = view.tensor();
            if (view.flat()) {
                gen.writeStartArray();
                for (long i = 0; i < tensor.size(); i++) {
                    scalar(tensor, i, gen);
                }
                gen.writeEndArray();
                return;
            }
            long[] shape = tensor.shape();
            int from = view.row() < 0 ? 0 : 1;
            int to = shape.length;
            if (view.squeezeLast() && to - from > 0 && shape[to - 1] == 1) {
                to--;
            }
            long stride = 1;
            for (int i = from; i < shape.length; i++) {
                stride *= shape[i];
            }
            long leafSize = 1;
            for (int i = to; i < shape.length; i++) {
                leafSize *= shape[i];
            }
            nest(tensor, shape, from, to, view.row() < 0 ? 0 : view.row() * stride, leafSize, gen);
        }

        /** Writes axes {@code axis..lastAxis} from element {@code offset}; returns the next element. */
        private static long nest(
                HostTensor tensor,
                long[] shape,
                int axis,
                int lastAxis,
                long offset,
                long leafSize,
                JsonGenerator gen) {
            if (axis == lastAxis) {
                scalar(tensor, offset, gen);
                return offset + leafSize;
            }
            gen.writeStartArray();
            long next = offset;
            for (long i = 0; i < shape[axis]; i++) {
                next = nest(tensor, shape, axis + 1, lastAxis, next, leafSize, gen);
            }
            gen.writeEndArray();
            return next;
        }

        private static void scalar(HostTensor tensor, long i, JsonGenerator gen) {
            switch (tensor.dtype()) {
                case FLOAT32, FLOAT16 -> gen.writeNumber((float) tensor.getDouble(i));
                case FLOAT64 -> gen.writeNumber(tensor.getDouble(i));
                case BOOLEAN -> gen.writeBoolean(tensor.getDouble(i) != 0);
                case INT64, INT32, INT8, UINT8, INT16 -> gen.writeNumber(tensor.getLong(i));
                default -> gen.writeNull();
            }
        }
    }
}
