package io.seqserve.predict;

import io.seqserve.Failure;
import io.seqserve.registry.Signature;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.TensorSpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's REST predict body: the row form ({@code instances}, answered as
 * {@code predictions}) and the columnar form ({@code inputs}, answered as {@code outputs}).
 */
final class TfServingFormat {

    /** A parsed request, remembering which form to answer in. */
    record Request(List<HostTensor> inputs, boolean rowForm, boolean squeeze) {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TfServingFormat() {}

    static Request parse(JsonNode body, Signature signature, String signatureName) {
        if (body == null || !body.isObject()) {
            throw Failure.badRequest("the body must be a JSON object with 'instances' or 'inputs'");
        }
        JsonNode requested = body.get("signature_name");
        if (requested != null && !requested.isNull() && !requested.asString().equals(signatureName)) {
            throw Failure.invalid("signature_name", "this model serves signature '" + signatureName + "' only");
        }
        for (String key : body.propertyNames()) {
            if (!key.equals("instances") && !key.equals("inputs") && !key.equals("signature_name")) {
                throw Failure.invalid(key, "unknown field; expected 'instances' or 'inputs'");
            }
        }
        boolean rows = body.has("instances");
        if (rows == body.has("inputs")) {
            throw Failure.badRequest("give exactly one of 'instances' (row form) or 'inputs' (columnar form)");
        }
        Map<String, HostTensor> byName = rows ? instances(body.get("instances"), signature) : columns(body.get("inputs"), signature);
        SignatureInputs.Conformed conformed = SignatureInputs.conform(signature, byName, true, rows ? "instances" : "inputs");
        return new Request(conformed.tensors(), rows, conformed.expanded());
    }

    private static Map<String, HostTensor> instances(JsonNode instances, Signature signature) {
        if (!instances.isArray() || instances.isEmpty()) {
            throw Failure.invalid("instances", "must be a non-empty list");
        }
        boolean named = instances.get(0).isObject();
        Map<String, List<JsonNode>> columns = new LinkedHashMap<>();
        for (int i = 0; i < instances.size(); i++) {
            JsonNode instance = instances.get(i);
            if (instance.isObject() != named) {
                throw Failure.invalid("instances[" + i + "]", "mixes named and unnamed instances");
            }
            if (named) {
                if (i == 0) {
                    SignatureInputs.checkNames(signature, instance.propertyNames(), "instances[0]");
                }
                for (TensorSpec spec : signature.inputs()) {
                    JsonNode value = instance.get(spec.name());
                    if (value == null || instance.size() != signature.inputs().size()) {
                        SignatureInputs.checkNames(signature, instance.propertyNames(), "instances[" + i + "]");
                    }
                    columns.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(value);
                }
            } else {
                if (signature.inputs().size() != 1) {
                    throw Failure.invalid("instances[" + i + "]", "the model takes several inputs "
                            + signature.inputNames() + "; give each instance as an object");
                }
                columns.computeIfAbsent(signature.inputs().get(0).name(), k -> new ArrayList<>()).add(instance);
            }
        }
        Map<String, HostTensor> byName = new LinkedHashMap<>();
        for (TensorSpec spec : signature.inputs()) {
            byName.put(spec.name(), JsonTensors.stack(columns.get(spec.name()), spec.dtype(), "instances." + spec.name()));
        }
        return byName;
    }

    private static Map<String, HostTensor> columns(JsonNode inputs, Signature signature) {
        Map<String, HostTensor> byName = new LinkedHashMap<>();
        if (inputs.isObject()) {
            SignatureInputs.checkNames(signature, inputs.propertyNames(), "inputs");
            for (TensorSpec spec : signature.inputs()) {
                byName.put(spec.name(), parseWhole(inputs.get(spec.name()), spec, "inputs." + spec.name()));
            }
        } else {
            if (signature.inputs().size() != 1) {
                throw Failure.invalid("inputs", "the model takes several inputs " + signature.inputNames()
                        + "; give an object keyed by input name");
            }
            TensorSpec spec = signature.inputs().get(0);
            byName.put(spec.name(), parseWhole(inputs, spec, "inputs"));
        }
        return byName;
    }

    private static HostTensor parseWhole(JsonNode value, TensorSpec spec, String field) {
        return JsonTensors.parse(value, JsonTensors.shapeOf(value, field), spec.dtype(), field);
    }

    static JsonNode format(Request request, List<TensorSpec> specs, List<HostTensor> outputs) {
        ObjectNode body = NODES.objectNode();
        if (request.rowForm() && rowAligned(outputs)) {
            ArrayNode predictions = body.putArray("predictions");
            long rows = outputs.get(0).dim(0);
            for (int r = 0; r < rows; r++) {
                if (outputs.size() == 1) {
                    predictions.add(JsonTensors.toJson(outputs.get(0), r, request.squeeze()));
                } else {
                    ObjectNode row = predictions.addObject();
                    for (int o = 0; o < outputs.size(); o++) {
                        row.set(specs.get(o).name(), JsonTensors.toJson(outputs.get(o), r, request.squeeze()));
                    }
                }
            }
            return body;
        }
        String field = request.rowForm() ? "predictions" : "outputs";
        if (outputs.size() == 1) {
            body.set(field, JsonTensors.toJson(outputs.get(0), -1, request.squeeze()));
        } else {
            ObjectNode named = body.putObject(field);
            for (int o = 0; o < outputs.size(); o++) {
                named.set(specs.get(o).name(), JsonTensors.toJson(outputs.get(o), -1, request.squeeze()));
            }
        }
        return body;
    }

    private static boolean rowAligned(List<HostTensor> outputs) {
        long rows = outputs.get(0).rank() == 0 ? -1 : outputs.get(0).dim(0);
        return rows > 0 && outputs.stream().allMatch(t -> t.rank() > 0 && t.dim(0) == rows);
    }
}
