package io.seqserve.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One engine's self-check, without any model file: load the engine (its native libraries), then run a
 * tiny forward pass on the CPU, {@code [1, 2] + [1, 2]}, and compare the answer. TensorFlow and PyTorch
 * run it as an NDArray operation on their own NDManager; ONNX Runtime runs {@link TinyOnnxModel}.
 * A library that does not map (a noexec folder), is missing or damaged, shows up here, once, with the
 * reason, instead of as a failure of every model that needs it.
 */
final class EngineSelfCheck {

    static final String ONNX_RUNTIME = "OnnxRuntime";
    private static final float[] INPUT = {1f, 2f};
    private static final float[] EXPECTED = {2f, 4f};

    /** Known causes, with what to do about them (see docs/deployment.md, read-only containers). */
    private static final Map<String, String> HINTS = Map.of(
            "failed to map segment",
                    "the folder the library was loaded from is not executable (a noexec mount such as"
                            + " Docker's default --tmpfs); point the natives at an executable folder",
            "file too short", "the library file is empty or truncated",
            "invalid ELF header", "the library file is damaged or built for another platform",
            "Offline mode is enabled",
                    "the native library is neither unpacked nor bundled, and seqserve never downloads",
            "No space left on device", "the folder the natives are unpacked into is full",
            "Read-only file system", "the folder the natives are unpacked into is read-only");

    private EngineSelfCheck() {}

    static EngineStatus run(String name) {
        long start = System.nanoTime();
        try {
            if (!Engine.getAllEngines().contains(name)) {
                return EngineStatus.down(
                        name,
                        "no engine named '" + name + "' on the class path (known: "
                                + String.join(", ", Engine.getAllEngines()) + ")",
                        since(start));
            }
            Engine engine = Engine.getEngine(name);
            float[] answer = name.equals(ONNX_RUNTIME) ? onnxForwardPass() : ndArrayForwardPass(engine);
            if (!Arrays.equals(answer, EXPECTED)) {
                return EngineStatus.down(
                        name, "the forward pass [1, 2] + [1, 2] gave " + Arrays.toString(answer), since(start));
            }
            return EngineStatus.up(name, engine.getVersion(), since(start));
        } catch (Exception | LinkageError e) {
            return EngineStatus.down(name, describe(e), since(start));
        }
    }

    private static float[] ndArrayForwardPass(Engine engine) {
        try (NDManager manager = engine.newBaseManager(Device.cpu())) {
            NDArray x = manager.create(INPUT);
            return x.add(x).toFloatArray();
        }
    }

    private static float[] onnxForwardPass() throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(TinyOnnxModel.addToItself(), options);
                OnnxTensor x =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(INPUT.clone()), new long[] {INPUT.length});
                OrtSession.Result result = session.run(Map.of("x", x))) {
            return (float[]) result.get(0).getValue();
        }
    }

    /**
     * The outermost message (what failed) and the innermost one (why), with a hint for the causes seen in
     * containers: "Failed to load TensorFlow native library: /natives/libjnitensorflow.so: failed to map
     * segment from shared object (the folder ... is not executable ...)".
     */
    static String describe(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                messages.add(firstLine(message).replaceFirst("^(\\S+): \\1: ", "$1: "));
            }
        }
        if (messages.isEmpty()) {
            return e.getClass().getName();
        }
        String first = messages.get(0);
        String last = messages.get(messages.size() - 1);
        String reason = first.equals(last) ? first : first + ": " + last;
        return HINTS.entrySet().stream()
                .filter(h -> reason.contains(h.getKey()))
                .findFirst()
                .map(h -> reason + " (" + h.getValue() + ")")
                .orElse(reason);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return (newline > 0 ? message.substring(0, newline) : message).trim();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
