package io.seqserve.registry;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.seqserve.runtime.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads a model's signature from its files before the engine loads it, so that what would crash or
 * silently misbehave inside DJL (a missing signature, absent weights, unknown input names) is caught
 * with a clear reason.
 */
final class SignatureReader {

    static final String SERVING_DEFAULT = "serving_default";
    private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "VarHandleOp", "Variable");

    private SignatureReader() {}

    /** The SavedModel's signature, inputs ordered by key as DJL feeds them. */
    static Signature savedModel(Path dir, String signatureKey) throws LoadException {
        SavedModel saved;
        try (InputStream in = Files.newInputStream(dir.resolve("saved_model.pb"))) {
            saved = SavedModel.parseFrom(in);
        } catch (IOException e) {
            throw new LoadException("saved_model.pb cannot be parsed: " + e.getMessage());
        }
        MetaGraphDef graph = saved.getMetaGraphsList().stream()
                .filter(g -> g.getMetaInfoDef().getTagsList().contains("serve"))
                .findFirst()
                .orElseThrow(() -> new LoadException("the SavedModel has no meta graph tagged 'serve'"));
        String key = signatureKey == null ? SERVING_DEFAULT : signatureKey;
        SignatureDef def = graph.getSignatureDefMap().get(key);
        if (def == null || def.getInputsCount() == 0) {
            throw new LoadException("the SavedModel has no usable signature '" + key + "' (it has "
                    + new TreeMap<>(graph.getSignatureDefMap()).keySet() + "); set 'signature' in seqserve.yaml");
        }
        if (hasVariables(graph) && !Files.isRegularFile(dir.resolve("variables/variables.index"))) {
            throw new LoadException(
                    "the graph has variables but variables/variables.index is missing: its weights would not be restored");
        }
        return new Signature(tfTensors(def.getInputsMap()), tfTensors(def.getOutputsMap()));
    }

    /** The ONNX model's inputs and outputs as ONNX Runtime reports them. */
    static Signature onnx(Path file) throws LoadException {
        // DJL's engine creates the shared OrtEnvironment with its thread settings; it must come first.
        Engine.getEngine(ModelFormat.ONNX.engine());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options)) {
            return new Signature(onnxTensors(session.getInputInfo()), onnxTensors(session.getOutputInfo()));
        } catch (OrtException e) {
            throw new LoadException("the ONNX model cannot be opened: " + e.getMessage());
        }
    }

    /** A signature declared in the manifest (TorchScript carries none of its own). */
    static Signature declared(Manifest manifest) {
        return new Signature(
                declaredTensors(manifest.inputs(), "input"), declaredTensors(manifest.outputs(), "output"));
    }

    private static boolean hasVariables(MetaGraphDef graph) {
        for (NodeDef node : graph.getGraphDef().getNodeList()) {
            if (VARIABLE_OPS.contains(node.getOp())) {
                return true;
            }
        }
        return !graph.getObjectGraphDef().getNodesList().isEmpty()
                && graph.getObjectGraphDef().getNodesList().stream().anyMatch(n -> n.hasVariable());
    }

    private static List<TensorSpec> tfTensors(Map<String, org.tensorflow.proto.TensorInfo> byKey) {
        List<TensorSpec> specs = new ArrayList<>();
        new TreeMap<>(byKey)
                .forEach((key, info) -> specs.add(new TensorSpec(key, tfType(info), tfShape(info.getTensorShape()))));
        return specs;
    }

    private static long[] tfShape(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            return null;
        }
        return shape.getDimList().stream()
                .mapToLong(d -> d.getSize() < 0 ? -1 : d.getSize())
                .toArray();
    }

    private static DataType tfType(org.tensorflow.proto.TensorInfo info) {
        return switch (info.getDtype()) {
            case DT_FLOAT -> DataType.FLOAT32;
            case DT_DOUBLE -> DataType.FLOAT64;
            case DT_HALF -> DataType.FLOAT16;
            case DT_INT32 -> DataType.INT32;
            case DT_INT64 -> DataType.INT64;
            case DT_INT8 -> DataType.INT8;
            case DT_UINT8 -> DataType.UINT8;
            case DT_BOOL -> DataType.BOOLEAN;
            case DT_STRING -> DataType.STRING;
            default -> DataType.UNKNOWN;
        };
    }

    private static List<TensorSpec> onnxTensors(Map<String, NodeInfo> byName) {
        List<TensorSpec> specs = new ArrayList<>();
        byName.forEach((name, node) -> {
            if (node.getInfo() instanceof TensorInfo info) {
                long[] shape = info.getShape().clone();
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shape[i] < 0 ? -1 : shape[i];
                }
                specs.add(new TensorSpec(name, onnxType(info.type), shape));
            } else {
                specs.add(new TensorSpec(name, DataType.UNKNOWN, null));
            }
        });
        return specs;
    }

    private static DataType onnxType(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> DataType.FLOAT32;
            case DOUBLE -> DataType.FLOAT64;
            case FLOAT16 -> DataType.FLOAT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            case STRING -> DataType.STRING;
            default -> DataType.UNKNOWN;
        };
    }

    private static List<TensorSpec> declaredTensors(List<Manifest.TensorDecl> decls, String prefix) {
        if (decls == null) {
            return List.of();
        }
        List<TensorSpec> specs = new ArrayList<>();
        for (Manifest.TensorDecl d : decls) {
            long[] shape = d.shape() == null
                    ? null
                    : d.shape().stream().mapToLong(Long::longValue).toArray();
            specs.add(new TensorSpec(d.name(), dtype(d.dtype()), shape));
        }
        return specs;
    }

    static DataType dtype(String name) {
        if (name == null) {
            return DataType.FLOAT32;
        }
        return switch (name) {
            case "float64" -> DataType.FLOAT64;
            case "float16" -> DataType.FLOAT16;
            case "int64" -> DataType.INT64;
            case "int32" -> DataType.INT32;
            case "int8" -> DataType.INT8;
            case "uint8" -> DataType.UINT8;
            case "boolean" -> DataType.BOOLEAN;
            default -> DataType.FLOAT32;
        };
    }
}
