package io.seqserve.live;

import ai.djl.ndarray.types.DataType;
import io.seqserve.runtime.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * State tensors in snapshots: dtype, shape and the raw bytes (little-endian, base64), so a restored session
 * carries exactly the bits it had.
 */
public final class LiveTensors {

    private LiveTensors() {}

    public static JsonNode encode(HostTensor tensor) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("dtype", tensor.dtype().name());
        var shape = node.putArray("shape");
        for (long d : tensor.shape()) {
            shape.add(d);
        }
        ByteBuffer bytes = tensor.buffer();
        byte[] raw = new byte[bytes.remaining()];
        bytes.duplicate().order(ByteOrder.nativeOrder()).get(raw);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            raw = swap(raw, tensor.dtype().getNumOfBytes());
        }
        node.put("data", Base64.getEncoder().encodeToString(raw));
        return node;
    }

    public static HostTensor decode(JsonNode node) {
        DataType dtype = DataType.valueOf(node.get("dtype").asString());
        long[] shape = new long[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = node.get("shape").get(i).asLong();
        }
        byte[] raw = Base64.getDecoder().decode(node.get("data").asString());
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            raw = swap(raw, dtype.getNumOfBytes());
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(raw.length).order(ByteOrder.nativeOrder());
        buf.put(raw).flip();
        return new HostTensor(dtype, shape, buf);
    }

    private static byte[] swap(byte[] raw, int width) {
        byte[] out = new byte[raw.length];
        for (int i = 0; i < raw.length; i += width) {
            for (int b = 0; b < width; b++) {
                out[i + b] = raw[i + width - 1 - b];
            }
        }
        return out;
    }
}
