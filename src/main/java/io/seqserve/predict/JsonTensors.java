package io.seqserve.predict;

import ai.djl.ndarray.types.DataType;

import io.seqserve.Failure;
import io.seqserve.runtime.HostTensor;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON nested arrays to and from {@link HostTensor}: rectangular shape, finite numbers, values cast to
 * the model's dtype (integers must be whole, floats must fit). Every problem is a 400 naming the field.
 */
final class JsonTensors {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTensors() {}

    /** The shape of a nested array, checked to be rectangular. A scalar has shape []. */
    static long[] shapeOf(JsonNode value, String field) {
        List<Long> dims = new ArrayList<>();
        JsonNode probe = value;
        while (probe.isArray()) {
            dims.add((long) probe.size());
            if (probe.isEmpty()) {
                break;
            }
            probe = probe.get(0);
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        checkRectangular(value, shape, 0, field);
        return shape;
    }

    private static void checkRectangular(JsonNode node, long[] shape, int depth, String field) {
        if (depth == shape.length) {
            if (node.isArray() || node.isObject()) {
                throw Failure.invalid(field, "ragged nested list: expected a number at depth " + depth);
            }
            return;
        }
        if (!node.isArray() || node.size() != shape[depth]) {
            throw Failure.invalid(field, "ragged nested list: every list at depth " + depth + " must have "
                    + shape[depth] + " elements");
        }
        for (JsonNode child : node) {
            checkRectangular(child, shape, depth + 1, field);
        }
    }

    /** Parses {@code values} (each of the same nested shape) into one tensor with a leading dimension. */
    static HostTensor stack(List<JsonNode> values, DataType dtype, String field) {
        long[] inner = shapeOf(values.get(0), field + "[0]");
        long[] shape = new long[inner.length + 1];
        shape[0] = values.size();
        System.arraycopy(inner, 0, shape, 1, inner.length);
        Writer writer = new Writer(dtype, checkedCount(shape, field), field);
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            if (i > 0) {
                long[] other = shapeOf(value, field + "[" + i + "]");
                if (!java.util.Arrays.equals(other, inner)) {
                    throw Failure.invalid(field, "instance " + i + " has shape " + java.util.Arrays.toString(other)
                            + " but instance 0 has " + java.util.Arrays.toString(inner));
                }
            }
            writer.writeAll(value);
        }
        return writer.toTensor(shape);
    }

    /** Parses one nested array with the given shape (already known to match its nesting). */
    static HostTensor parse(JsonNode value, long[] shape, DataType dtype, String field) {
        Writer writer = new Writer(dtype, checkedCount(shape, field), field);
        writer.writeAll(value);
        return writer.toTensor(shape);
    }

    private static int checkedCount(long[] shape, String field) {
        long count = 1;
        for (long d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE / 8) {
                throw Failure.tooLarge(field + ": tensor too large");
            }
        }
        return (int) count;
    }

    /** Row {@code row} of a tensor (all of it when {@code row} is -1) as nested JSON arrays. */
    static JsonNode toJson(HostTensor tensor, int row, boolean squeezeLast) {
        long[] shape = tensor.shape();
        int from = row < 0 ? 0 : 1;
        int to = shape.length;
        if (squeezeLast && to - from > 0 && shape[to - 1] == 1) {
            to--;
        }
        long stride = 1;
        for (int i = from; i < shape.length; i++) {
            stride *= shape[i];
        }
        long offset = row < 0 ? 0 : row * stride;
        return nest(tensor, shape, from, to, new long[] {offset});
    }

    private static JsonNode nest(HostTensor tensor, long[] shape, int axis, int lastAxis, long[] cursor) {
        if (axis == lastAxis) {
            JsonNode leaf = scalar(tensor, cursor[0]);
            long skip = 1;
            for (int i = lastAxis; i < shape.length; i++) {
                skip *= shape[i];
            }
            cursor[0] += skip;
            return leaf;
        }
        ArrayNode array = NODES.arrayNode((int) shape[axis]);
        for (long i = 0; i < shape[axis]; i++) {
            array.add(nest(tensor, shape, axis + 1, lastAxis, cursor));
        }
        return array;
    }

    /** All elements, row-major, as a flat JSON array (the V2 protocol's form). */
    static ArrayNode flat(HostTensor tensor) {
        ArrayNode array = NODES.arrayNode((int) tensor.size());
        for (long i = 0; i < tensor.size(); i++) {
            array.add(scalar(tensor, i));
        }
        return array;
    }

    private static JsonNode scalar(HostTensor tensor, long i) {
        return switch (tensor.dtype()) {
            case FLOAT32, FLOAT16 -> NODES.numberNode((float) tensor.getDouble(i));
            case FLOAT64 -> NODES.numberNode(tensor.getDouble(i));
            case BOOLEAN -> NODES.booleanNode(tensor.getDouble(i) != 0);
            case INT64, INT32, INT8, UINT8, INT16 -> NODES.numberNode(tensor.getLong(i));
            default -> NODES.nullNode();
        };
    }

    /** Writes numbers in row-major order into a buffer of the target dtype, checking each one. */
    private static final class Writer {
        private final DataType dtype;
        private final ByteBuffer buffer;
        private final String field;

        Writer(DataType dtype, int count, String field) {
            this.dtype = dtype;
            this.field = field;
            this.buffer = ByteBuffer.allocateDirect(count * dtype.getNumOfBytes()).order(ByteOrder.nativeOrder());
        }

        void writeAll(JsonNode node) {
            if (node.isArray()) {
                for (JsonNode child : node) {
                    writeAll(child);
                }
            } else {
                write(node);
            }
        }

        private void write(JsonNode node) {
            if (!buffer.hasRemaining()) {
                throw Failure.invalid(field, "more values than the shape holds");
            }
            if (dtype == DataType.BOOLEAN) {
                if (!node.isBoolean() && !node.isIntegralNumber()) {
                    throw Failure.invalid(field, "expected booleans, got " + describe(node));
                }
                buffer.put((byte) (node.isBoolean() ? (node.booleanValue() ? 1 : 0) : (node.longValue() != 0 ? 1 : 0)));
                return;
            }
            if (!node.isNumber()) {
                throw Failure.invalid(field, "expected numbers, got " + describe(node));
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw Failure.invalid(field, "numbers must be finite");
            }
            switch (dtype) {
                case FLOAT32 -> {
                    if (Math.abs(value) > Float.MAX_VALUE) {
                        throw Failure.invalid(field, value + " does not fit in float32");
                    }
                    buffer.putFloat((float) value);
                }
                case FLOAT64 -> buffer.putDouble(value);
                case INT64 -> buffer.putLong(integral(node, Long.MIN_VALUE, Long.MAX_VALUE));
                case INT32 -> buffer.putInt((int) integral(node, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case INT16 -> buffer.putShort((short) integral(node, Short.MIN_VALUE, Short.MAX_VALUE));
                case INT8 -> buffer.put((byte) integral(node, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case UINT8 -> buffer.put((byte) integral(node, 0, 255));
                default -> throw Failure.unprocessable(field, "the model takes " + dtype + ", which JSON cannot express");
            }
        }

        private long integral(JsonNode node, long min, long max) {
            double value = node.doubleValue();
            if (value != Math.rint(value)) {
                throw Failure.invalid(field, "expected integers for " + dtype + ", got " + node);
            }
            if (value < min || value > max) {
                throw Failure.invalid(field, node + " is out of range for " + dtype);
            }
            return node.isIntegralNumber() ? node.longValue() : (long) value;
        }

        HostTensor toTensor(long[] shape) {
            if (buffer.hasRemaining()) {
                throw Failure.invalid(field, "fewer values than the shape needs");
            }
            buffer.flip();
            return new HostTensor(dtype, shape, buffer);
        }
    }

    private static String describe(JsonNode node) {
        return node.isNull() ? "null" : node.isString() ? "a string" : node.isObject() ? "an object" : node.toString();
    }
}
