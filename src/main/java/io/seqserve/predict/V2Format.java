package io.seqserve.predict;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.Signature;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.TensorSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** The Open Inference Protocol (V2) request and response bodies. */
final class V2Format {

    /** {@code parameters} are accepted as the protocol defines them and not used. */
    @Schema(name = "V2InferRequest", description = "Open Inference Protocol (V2) inference request")
    record Request(
            String id,
            Map<String, Object> parameters,
            @NotEmpty(message = "must be a non-empty list") List<@NotNull @Valid Input> inputs,
            List<@NotNull @Valid Output> outputs) {}

    /** One input tensor; {@code data} is flat or nested, row-major, and is read once the signature is known. */
    @Schema(name = "V2InputTensor")
    record Input(
            @NotNull(message = "is required") String name,

            @NotEmpty(message = "must be a non-empty list of dimensions")
            List<@NotNull @Positive(message = "must be positive") Long> shape,

            @NotNull(message = "is required") String datatype,
            Map<String, Object> parameters,

            @NotNull(message = "must be a list (flat or nested, row-major)")
            @Schema(
                    implementation = Object.class,
                    description = "the values, flat or nested, row-major",
                    example = "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]")
            JsonNode data) {}

    @Schema(name = "V2RequestedOutput")
    record Output(@NotNull(message = "is required") String name, Map<String, Object> parameters) {}

    /** A request checked against one version: tensors in signature order, and which outputs to return (empty: all). */
    record Call(String id, List<HostTensor> inputs, Set<String> outputs) implements Inference.Call {}

    @JsonPropertyOrder({"model_name", "model_version", "id", "outputs"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "V2InferResponse")
    record Response(String modelName, String modelVersion, String id, List<OutputTensor> outputs) {}

    @JsonPropertyOrder({"name", "datatype", "shape", "data"})
    record OutputTensor(
            String name,
            String datatype,
            long[] shape,

            @Schema(implementation = Object.class, description = "the values, nested as `shape` says")
            TensorJson data) {}

    @JsonPropertyOrder({"name", "versions", "platform", "inputs", "outputs"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Metadata(
            String name,
            List<String> versions,
            String platform,
            List<TensorMetadata> inputs,
            List<TensorMetadata> outputs) {}

    @JsonPropertyOrder({"name", "datatype", "shape"})
    record TensorMetadata(String name, String datatype, long[] shape) {}

    private static final Map<String, DataType> TYPES = Map.of(
            "BOOL",
            DataType.BOOLEAN,
            "UINT8",
            DataType.UINT8,
            "INT8",
            DataType.INT8,
            "INT16",
            DataType.INT16,
            "INT32",
            DataType.INT32,
            "INT64",
            DataType.INT64,
            "FP16",
            DataType.FLOAT16,
            "FP32",
            DataType.FLOAT32,
            "FP64",
            DataType.FLOAT64);

    private V2Format() {}

    static Call prepare(Request body, Signature signature) {
        Map<String, HostTensor> byName = new LinkedHashMap<>();
        for (int i = 0; i < body.inputs().size(); i++) {
            String field = "inputs[" + i + "]";
            Input input = body.inputs().get(i);
            TensorSpec spec = signature.inputs().stream()
                    .filter(s -> s.name().equals(input.name()))
                    .findFirst()
                    .orElse(null);
            if (spec == null) {
                SignatureInputs.checkNames(signature, List.of(input.name()), field + ".name");
            }
            if (byName.containsKey(input.name())) {
                throw Failure.invalid(field + ".name", "input '" + input.name() + "' given twice");
            }
            DataType declared = TYPES.get(input.datatype());
            if (declared == null) {
                throw Failure.invalid(field + ".datatype", "must be one of " + new TreeSet<>(TYPES.keySet()));
            }
            if (!input.data().isArray()) {
                throw Failure.invalid(field + ".data", "must be a list (flat or nested, row-major)");
            }
            long[] shape = input.shape().stream().mapToLong(Long::longValue).toArray();
            JsonTensors.shapeOf(input.data(), field + ".data");
            byName.put(input.name(), JsonTensors.parse(input.data(), shape, spec.dtype(), declared, field + ".data"));
        }
        Set<String> wanted = new java.util.HashSet<>();
        for (Output output : body.outputs() == null ? List.<Output>of() : body.outputs()) {
            if (signature.outputs().stream().noneMatch(s -> s.name().equals(output.name()))) {
                throw Failure.invalid(
                        "outputs",
                        "unknown output '" + output.name() + "'; the model returns "
                                + signature.outputs().stream()
                                        .map(TensorSpec::name)
                                        .toList());
            }
            wanted.add(output.name());
        }
        SignatureInputs.Conformed conformed = SignatureInputs.conform(signature, byName, false, "inputs");
        return new Call(body.id(), conformed.tensors(), wanted);
    }

    /** The answer; only views of the outputs, written out when the response is. */
    static Response answer(ModelVersion version, Call call, List<HostTensor> outputs) {
        List<OutputTensor> list = new ArrayList<>();
        List<TensorSpec> specs = version.signature().outputs();
        for (int i = 0; i < outputs.size(); i++) {
            String name = specs.get(i).name();
            if (call.outputs().isEmpty() || call.outputs().contains(name)) {
                HostTensor tensor = outputs.get(i);
                list.add(new OutputTensor(name, datatype(tensor.dtype()), tensor.shape(), TensorJson.flat(tensor)));
            }
        }
        return new Response(version.name(), String.valueOf(version.version()), call.id(), list);
    }

    static String datatype(DataType dtype) {
        return TYPES.entrySet().stream()
                .filter(e -> e.getValue() == dtype)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("BYTES");
    }

    /** Model metadata as {@code GET /v2/models/{name}} answers it. */
    static Metadata metadata(ModelVersion version, List<Long> versions) {
        String platform = version.format() == null
                ? "unknown"
                : switch (version.format()) {
                    case SAVEDMODEL -> "tensorflow_savedmodel";
                    case TORCHSCRIPT -> "pytorch_torchscript";
                    case ONNX -> "onnxruntime_onnx";
                    case DJL -> "djl_pytorch";
                };
        Signature signature = version.signature();
        return new Metadata(
                version.name(),
                versions.stream().map(String::valueOf).toList(),
                platform,
                signature == null ? null : tensors(signature.inputs()),
                signature == null ? null : tensors(signature.outputs()));
    }

    private static List<TensorMetadata> tensors(List<TensorSpec> specs) {
        return specs.stream()
                .map(s -> new TensorMetadata(s.name(), datatype(s.dtype()), s.hasShape() ? s.shape() : new long[0]))
                .toList();
    }
}
