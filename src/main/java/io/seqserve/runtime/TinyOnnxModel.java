package io.seqserve.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The smallest ONNX model worth running: {@code y = x + x} for a float tensor of shape [2], written as
 * ONNX's protocol buffer ({@code onnx.proto}: ModelProto, GraphProto, NodeProto, ValueInfoProto) in a few
 * lines instead of shipping a model file. ONNX Runtime's self-check runs it, because its DJL NDArray
 * operations are delegated to another engine and would not touch ONNX Runtime's own kernels.
 */
final class TinyOnnxModel {

    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int IR_VERSION = 7;
    private static final int OPSET = 13;

    private TinyOnnxModel() {}

    static byte[] addToItself() {
        Proto tensor = new Proto().varint(1, FLOAT).message(2, new Proto().message(1, new Proto().varint(1, 2)));
        Proto type = new Proto().message(1, tensor);
        Proto node = new Proto()
                .string(1, "x")
                .string(1, "x")
                .string(2, "y")
                .string(3, "add")
                .string(4, "Add");
        Proto graph = new Proto()
                .message(1, node)
                .string(2, "seqserve-engine-check")
                .message(11, new Proto().string(1, "x").message(2, type))
                .message(12, new Proto().string(1, "y").message(2, type));
        return new Proto()
                .varint(1, IR_VERSION)
                .string(2, "seqserve")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, OPSET))
                .bytes();
    }

    /** Protocol buffer wire format, the two wire types ONNX's metadata needs: varint and length-delimited. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return lengthDelimited(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Proto lengthDelimited(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        private void tag(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
