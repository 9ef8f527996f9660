package io.seqserve.predict;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.runtime.HostTensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * JSON nested arrays (the tensor payloads of both predict protocols, read as a tree) into
 * {@link HostTensor}: rectangular shape, finite numbers, values cast to the model's dtype (integers must be
 * whole, floats must fit). Every problem is an {@code INVALID} failure naming the field.
 */
final class JsonTensors {

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
            throw Failure.invalid(
                    field,
                    "ragged nested list: every list at depth " + depth + " must have " + shape[depth] + " elements");
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
        Writer writer = new Writer(dtype, null, checkedCount(shape, field), field);
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            if (i > 0) {
                long[] other = shapeOf(value, field + "[" + i + "]");
                if (!Arrays.equals(other, inner)) {
                    throw Failure.invalid(
                            field,
                            "instance " + i + " has shape " + Arrays.toString(other) + " but instance 0 has "
                                    + Arrays.toString(inner));
                }
            }
            writer.writeAll(value);
        }
        return writer.toTensor(shape);
    }

    /** Parses one nested array into {@code shape} (its element count must match). */
    static HostTensor parse(JsonNode value, long[] shape, DataType dtype, String field) {
        return parse(value, shape, dtype, null, field);
    }

    /**
     * As {@link #parse(JsonNode, long[], DataType, String)}, each value also checked against the dtype the
     * client declared ({@code declared}, null: none), so an INT64 tensor holding 1.5 is refused even when the
     * model takes floats.
     */
    static HostTensor parse(JsonNode value, long[] shape, DataType dtype, DataType declared, String field) {
        Writer writer = new Writer(dtype, declared, checkedCount(shape, field), field);
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

    /** Writes numbers in row-major order into a buffer of the target dtype, checking each one. */
    private static final class Writer {
        private final DataType dtype;
        private final DataType declared;
        private final ByteBuffer buffer;
        private final String field;

        Writer(DataType dtype, DataType declared, int count, String field) {
            this.dtype = dtype;
            this.declared = declared;
            this.field = field;
            this.buffer = HostTensor.heap((long) count * dtype.getNumOfBytes());
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
            if (declared != null) {
                check(node, declared);
            }
            if (dtype == DataType.BOOLEAN) {
                if (!node.isBoolean() && !node.isIntegralNumber()) {
                    throw Failure.invalid(field, "expected booleans, got " + describe(node));
                }
                buffer.put((byte) (node.isBoolean() ? (node.booleanValue() ? 1 : 0) : (node.longValue() != 0 ? 1 : 0)));
                return;
            }
            double value = check(node, dtype);
            switch (dtype) {
                case FLOAT32 -> buffer.putFloat((float) value);
                case FLOAT64 -> buffer.putDouble(value);
                case INT64 -> buffer.putLong(node.isIntegralNumber() ? node.longValue() : (long) value);
                case INT32 -> buffer.putInt((int) value);
                case INT16 -> buffer.putShort((short) value);
                case INT8, UINT8 -> buffer.put((byte) value);
                default ->
                    throw Failure.of(
                            Failure.Code.INPUT_MISMATCH,
                            field,
                            "the model takes " + dtype + ", which JSON cannot express");
            }
        }

        /** The node's value when it is a number {@code type} can hold exactly enough; else INVALID. */
        private double check(JsonNode node, DataType type) {
            if (type == DataType.BOOLEAN) {
                if (!node.isBoolean()) {
                    throw Failure.invalid(field, "expected booleans for BOOL, got " + describe(node));
                }
                return node.booleanValue() ? 1 : 0;
            }
            if (!node.isNumber()) {
                throw Failure.invalid(field, "expected numbers, got " + describe(node));
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw Failure.invalid(field, "numbers must be finite");
            }
            switch (type) {
                case FLOAT32, FLOAT16 -> {
                    if (Math.abs(value) > Float.MAX_VALUE) {
                        throw Failure.invalid(
                                field, value + " does not fit in " + type.name().toLowerCase());
                    }
                }
                case INT64 -> integral(node, value, type, Long.MIN_VALUE, Long.MAX_VALUE);
                case INT32 -> integral(node, value, type, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case INT16 -> integral(node, value, type, Short.MIN_VALUE, Short.MAX_VALUE);
                case INT8 -> integral(node, value, type, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case UINT8 -> integral(node, value, type, 0, 255);
                default -> {}
            }
            return value;
        }

        private void integral(JsonNode node, double value, DataType type, long min, long max) {
            if (value != Math.rint(value)) {
                throw Failure.invalid(field, "expected integers for " + type + ", got " + node);
            }
            if (value < min || value > max) {
                throw Failure.invalid(field, node + " is out of range for " + type);
            }
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
