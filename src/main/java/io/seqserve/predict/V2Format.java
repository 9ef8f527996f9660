package io.seqserve.predict;

import ai.djl.ndarray.types.DataType;

import io.seqserve.Failure;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.Signature;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.TensorSpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Open Inference Protocol (V2) request and response bodies. */
final class V2Format {

    /** A parsed request: tensors in signature order, and which outputs to return (empty: all). */
    record Request(String id, List<HostTensor> inputs, Set<String> outputs) {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, DataType> TYPES = Map.of("BOOL", DataType.BOOLEAN, "UINT8", DataType.UINT8,
            "INT8", DataType.INT8, "INT16", DataType.INT16, "INT32", DataType.INT32, "INT64", DataType.INT64,
            "FP16", DataType.FLOAT16, "FP32", DataType.FLOAT32, "FP64", DataType.FLOAT64);

    private V2Format() {}

    static Request parse(JsonNode body, Signature signature) {
        if (body == null || !body.isObject() || !body.path("inputs").isArray() || body.path("inputs").isEmpty()) {
            throw Failure.badRequest("the body must be a JSON object with a non-empty 'inputs' list");
        }
        Map<String, HostTensor> byName = new LinkedHashMap<>();
        JsonNode inputs = body.get("inputs");
        for (int i = 0; i < inputs.size(); i++) {
            String field = "inputs[" + i + "]";
            JsonNode input = inputs.get(i);
            String name = input.path("name").asString("");
            TensorSpec spec = signature.inputs().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
            if (spec == null) {
                SignatureInputs.checkNames(signature, List.of(name), field + ".name");
            }
            if (byName.containsKey(name)) {
                throw Failure.invalid(field + ".name", "input '" + name + "' given twice");
            }
            String datatype = input.path("datatype").asString("");
            if (!TYPES.containsKey(datatype)) {
                throw Failure.invalid(field + ".datatype", "must be one of " + new java.util.TreeSet<>(TYPES.keySet()));
            }
            long[] shape = shape(input.get("shape"), field + ".shape");
            JsonNode data = input.get("data");
            if (data == null || !data.isArray()) {
                throw Failure.invalid(field + ".data", "must be a list (flat or nested, row-major)");
            }
            JsonTensors.shapeOf(data, field + ".data");
            byName.put(name, JsonTensors.parse(data, shape, spec.dtype(), field + ".data"));
        }
        Set<String> wanted = new HashSet<>();
        JsonNode outputs = body.get("outputs");
        if (outputs != null && outputs.isArray()) {
            for (JsonNode output : outputs) {
                String name = output.path("name").asString("");
                if (signature.outputs().stream().noneMatch(s -> s.name().equals(name))) {
                    throw Failure.invalid("outputs", "unknown output '" + name + "'; the model returns "
                            + signature.outputs().stream().map(TensorSpec::name).toList());
                }
                wanted.add(name);
            }
        }
        SignatureInputs.Conformed conformed = SignatureInputs.conform(signature, byName, false, "inputs");
        String id = body.hasNonNull("id") ? body.get("id").asString() : null;
        return new Request(id, conformed.tensors(), wanted);
    }

    private static long[] shape(JsonNode node, String field) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw Failure.invalid(field, "must be a non-empty list of dimensions");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || d.longValue() < 1) {
                throw Failure.invalid(field, "dimensions must be positive integers");
            }
            shape[i] = d.longValue();
        }
        return shape;
    }

    static JsonNode format(ModelVersion version, Request request, List<HostTensor> outputs) {
        ObjectNode body = NODES.objectNode();
        body.put("model_name", version.name());
        body.put("model_version", String.valueOf(version.version()));
        if (request.id() != null) {
            body.put("id", request.id());
        }
        ArrayNode list = body.putArray("outputs");
        List<TensorSpec> specs = version.signature().outputs();
        for (int i = 0; i < outputs.size(); i++) {
            String name = specs.get(i).name();
            if (!request.outputs().isEmpty() && !request.outputs().contains(name)) {
                continue;
            }
            HostTensor tensor = outputs.get(i);
            ObjectNode out = list.addObject();
            out.put("name", name);
            out.put("datatype", datatype(tensor.dtype()));
            ArrayNode shape = out.putArray("shape");
            for (long d : tensor.shape()) {
                shape.add(d);
            }
            out.set("data", JsonTensors.flat(tensor));
        }
        return body;
    }

    static String datatype(DataType dtype) {
        return TYPES.entrySet().stream().filter(e -> e.getValue() == dtype).map(Map.Entry::getKey).findFirst().orElse("BYTES");
    }

    /** Model metadata as {@code GET /v2/models/{name}} answers it. */
    static JsonNode metadata(ModelVersion version, List<Long> versions) {
        ObjectNode body = NODES.objectNode();
        body.put("name", version.name());
        ArrayNode list = body.putArray("versions");
        versions.forEach(v -> list.add(String.valueOf(v)));
        body.put("platform", version.format() == null ? "unknown" : switch (version.format()) {
            case SAVEDMODEL -> "tensorflow_savedmodel";
            case TORCHSCRIPT -> "pytorch_torchscript";
            case ONNX -> "onnxruntime_onnx";
            case DJL -> "djl_pytorch";
        });
        if (version.signature() != null) {
            body.set("inputs", tensors(version.signature().inputs()));
            body.set("outputs", tensors(version.signature().outputs()));
        }
        return body;
    }

    private static ArrayNode tensors(List<TensorSpec> specs) {
        ArrayNode list = NODES.arrayNode();
        for (TensorSpec spec : specs) {
            ObjectNode t = list.addObject();
            t.put("name", spec.name());
            t.put("datatype", datatype(spec.dtype()));
            ArrayNode shape = t.putArray("shape");
            if (spec.hasShape()) {
                for (long d : spec.shape()) {
                    shape.add(d);
                }
            }
        }
        return list;
    }
}
