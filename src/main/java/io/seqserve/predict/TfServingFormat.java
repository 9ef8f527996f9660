package io.seqserve.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.inference.Inference;
import io.seqserve.registry.Signature;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.TensorSpec;
import io.seqserve.web.PlainJsonBody;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * TensorFlow Serving's REST predict body: the row form ({@code instances}, answered as
 * {@code predictions}) and the columnar form ({@code inputs}, answered as {@code outputs}). The tensors
 * stay JSON trees until the version's signature says what they must be.
 */
final class TfServingFormat {

    /** The body as bound: {@code instances} or {@code inputs} are nested lists of numbers (or of objects by input name). */
    @Schema(
            name = "TfServingRequest",
            description = "TF Serving's REST body: `instances` (row form, one entry per example) or `inputs`"
                    + " (columnar form); nested numbers checked against the version's signature",
            example = "{\"instances\": [1.0, 2.0, 5.0]}")
    @PlainJsonBody
    record Request(
            @Schema(description = "a signature key of a SavedModel (default: serving_default)")
            String signatureName,

            @Schema(
                    implementation = Object.class,
                    description = "row form: a list with one entry per example (a nested list of numbers, or an"
                            + " object of input name to nested list)")
            JsonNode instances,

            @Schema(
                    implementation = Object.class,
                    description = "columnar form: a nested list for a model with one input, or an object of input"
                            + " name to nested list")
            JsonNode inputs) {}

    /** A request checked against one version: tensors in its input order, and which form to answer in. */
    record Call(List<HostTensor> inputs, boolean rowForm, boolean squeeze) implements Inference.Call {}

    /** The answer: exactly one of the two fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "TfServingResponse", description = "`predictions` for the row form, `outputs` for the columnar form")
    record Response(
            @Schema(implementation = Object.class, description = "one entry per example")
            Object predictions,

            @Schema(implementation = Object.class, description = "the whole output, or an object per output name")
            Object outputs) {}

    private TfServingFormat() {}

    static Call prepare(Request body, Signature signature, String signatureName) {
        if (body.signatureName() != null && !body.signatureName().equals(signatureName)) {
            throw Failure.invalid("signature_name", "this model serves signature '" + signatureName + "' only");
        }
        boolean rows = body.instances() != null;
        if (rows == (body.inputs() != null)) {
            throw Failure.badRequest("give exactly one of 'instances' (row form) or 'inputs' (columnar form)");
        }
        Map<String, HostTensor> byName =
                rows ? instances(body.instances(), signature) : columns(body.inputs(), signature);
        SignatureInputs.Conformed conformed =
                SignatureInputs.conform(signature, byName, true, rows ? "instances" : "inputs");
        return new Call(conformed.tensors(), rows, conformed.expanded());
    }

    private static Map<String, HostTensor> instances(JsonNode instances, Signature signature) {
        if (!instances.isArray() || instances.isEmpty()) {
            throw Failure.invalid("instances", "must be a non-empty list");
        }
        for (TensorSpec spec : signature.inputs()) {
            if (spec.batchAxis() != 0) {
                throw Failure.unprocessable(
                        "instances",
                        "input '" + spec.name() + "' carries its batch on axis " + spec.batchAxis()
                                + ", so instances cannot be stacked row by row; send the columnar form ('inputs')"
                                + " or /v2 infer with whole tensors");
            }
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
                    throw Failure.invalid(
                            "instances[" + i + "]",
                            "the model takes several inputs " + signature.inputNames()
                                    + "; give each instance as an object");
                }
                columns.computeIfAbsent(signature.inputs().get(0).name(), k -> new ArrayList<>())
                        .add(instance);
            }
        }
        Map<String, HostTensor> byName = new LinkedHashMap<>();
        for (TensorSpec spec : signature.inputs()) {
            byName.put(
                    spec.name(), JsonTensors.stack(columns.get(spec.name()), spec.dtype(), "instances." + spec.name()));
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
                throw Failure.invalid(
                        "inputs",
                        "the model takes several inputs " + signature.inputNames()
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

    /** The answer in the request's form; only views of the outputs, written out when the response is. */
    static Response answer(Call call, List<TensorSpec> specs, List<HostTensor> outputs) {
        if (call.rowForm() && rowAligned(outputs) && specs.stream().allMatch(o -> o.batchAxis() == 0)) {
            List<Object> predictions = new ArrayList<>();
            long rows = outputs.get(0).dim(0);
            for (int r = 0; r < rows; r++) {
                if (outputs.size() == 1) {
                    predictions.add(TensorJson.row(outputs.get(0), r, call.squeeze()));
                } else {
                    Map<String, TensorJson> row = new LinkedHashMap<>();
                    for (int o = 0; o < outputs.size(); o++) {
                        row.put(specs.get(o).name(), TensorJson.row(outputs.get(o), r, call.squeeze()));
                    }
                    predictions.add(row);
                }
            }
            return new Response(predictions, null);
        }
        Object whole;
        if (outputs.size() == 1) {
            whole = TensorJson.whole(outputs.get(0), call.squeeze());
        } else {
            Map<String, TensorJson> named = new LinkedHashMap<>();
            for (int o = 0; o < outputs.size(); o++) {
                named.put(specs.get(o).name(), TensorJson.whole(outputs.get(o), call.squeeze()));
            }
            whole = named;
        }
        return call.rowForm() ? new Response(whole, null) : new Response(null, whole);
    }

    private static boolean rowAligned(List<HostTensor> outputs) {
        long rows = outputs.get(0).rank() == 0 ? -1 : outputs.get(0).dim(0);
        return rows > 0 && outputs.stream().allMatch(t -> t.rank() > 0 && t.dim(0) == rows);
    }
}
