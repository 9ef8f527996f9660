package io.seqserve.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor held in Java memory (native byte order), independent of any engine. Requests are converted
 * to this form before they are queued, so batching is a byte copy and nothing native is touched on an
 * HTTP thread. Requests and outputs live on the heap (no direct-buffer bookkeeping per request); only a
 * stacked batch, which goes to the engine, is a direct buffer.
 */
public final class HostTensor {

    private final DataType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    public HostTensor(DataType dtype, long[] shape, ByteBuffer data) {
        long expected = elementCount(shape) * dtype.getNumOfBytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and type " + dtype
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.nativeOrder());
    }

    public static HostTensor ofFloats(long[] shape, float[] values) {
        ByteBuffer buf = heap((long) values.length * 4);
        buf.asFloatBuffer().put(values);
        return new HostTensor(DataType.FLOAT32, shape, buf);
    }

    public static HostTensor ofLongs(long[] shape, long[] values) {
        ByteBuffer buf = heap((long) values.length * 8);
        buf.asLongBuffer().put(values);
        return new HostTensor(DataType.INT64, shape, buf);
    }

    public static HostTensor fromNDArray(NDArray array) {
        ByteBuffer source = array.toByteBuffer();
        ByteBuffer copy = heap(source.remaining());
        copy.put(source.duplicate().order(ByteOrder.nativeOrder()));
        copy.flip();
        return new HostTensor(array.getDataType(), array.getShape().getShape(), copy);
    }

    /** Stacks tensors of equal trailing shape along dimension 0. */
    public static HostTensor concat(List<HostTensor> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        HostTensor first = parts.get(0);
        long rows = 0;
        int bytes = 0;
        for (HostTensor part : parts) {
            rows += part.shape[0];
            bytes += part.data.remaining();
        }
        ByteBuffer buf = allocate(bytes);
        for (HostTensor part : parts) {
            buf.put(part.data.duplicate());
        }
        buf.flip();
        long[] shape = first.shape.clone();
        shape[0] = rows;
        return new HostTensor(first.dtype, shape, buf);
    }

    /** The rows {@code [from, from + count)} along dimension 0, sharing this tensor's memory. */
    public HostTensor rows(long from, long count) {
        int rowBytes = (int) (data.remaining() / Math.max(1, shape[0]));
        ByteBuffer part = data.duplicate();
        part.position((int) (from * rowBytes)).limit((int) ((from + count) * rowBytes));
        long[] partShape = shape.clone();
        partShape[0] = count;
        return new HostTensor(dtype, partShape, part);
    }

    public NDArray toNDArray(NDManager manager, String name) {
        // duplicate() resets the byte order; engines that read a heap buffer through it need the native one.
        NDArray array = manager.create(data.duplicate().order(ByteOrder.nativeOrder()), new Shape(shape), dtype);
        array.setName(name);
        return array;
    }

    public DataType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public long size() {
        return elementCount(shape);
    }

    /** A read-only view of the raw bytes in native order. */
    public ByteBuffer buffer() {
        return data.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** Element {@code i} in row-major order, widened to double (numbers only). */
    public double getDouble(long i) {
        int at = (int) (i * dtype.getNumOfBytes());
        return switch (dtype) {
            case FLOAT32 -> data.getFloat(at);
            case FLOAT64 -> data.getDouble(at);
            case INT32 -> data.getInt(at);
            case INT64 -> data.getLong(at);
            case INT8 -> data.get(at);
            case UINT8, BOOLEAN -> data.get(at) & 0xff;
            case INT16 -> data.getShort(at);
            default -> throw new IllegalStateException("not a numeric tensor: " + dtype);
        };
    }

    public long getLong(long i) {
        int at = (int) (i * dtype.getNumOfBytes());
        return switch (dtype) {
            case INT64 -> data.getLong(at);
            case INT32 -> data.getInt(at);
            default -> (long) getDouble(i);
        };
    }

    public float[] toFloatArray() {
        float[] out = new float[(int) size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /** True when this tensor and {@code other} can be stacked along dimension 0 (same dtype and trailing shape). */
    public boolean stacksWith(HostTensor other) {
        if (dtype != other.dtype || shape.length != other.shape.length) {
            return false;
        }
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] != other.shape[i]) {
                return false;
            }
        }
        return true;
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** A zeroed heap buffer in native order, for a tensor of {@code bytes}. */
    public static ByteBuffer heap(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor too large: " + bytes + " bytes");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.nativeOrder());
    }

    private static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor too large: " + bytes + " bytes");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }
}
