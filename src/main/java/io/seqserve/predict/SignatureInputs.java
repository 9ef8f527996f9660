package io.seqserve.predict;

import io.seqserve.Failure;
import io.seqserve.registry.Signature;
import io.seqserve.runtime.HostTensor;
import io.seqserve.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks request tensors against a signature before anything reaches DJL: every input named exactly
 * once (an unknown name would crash the TensorFlow engine), rank and fixed dimensions as declared, and
 * one shared batch dimension. Returns the tensors in the engine's input order.
 */
final class SignatureInputs {

    /** The tensors in signature order; {@code expanded} when a trailing unit dimension was added. */
    record Conformed(List<HostTensor> tensors, boolean expanded) {}

    private SignatureInputs() {}

    static void checkNames(Signature signature, Collection<String> given, String field) {
        List<String> expected = signature.inputNames();
        TreeSet<String> unknown = new TreeSet<>(given);
        unknown.removeAll(expected);
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(given);
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            throw Failure.invalid(
                    field,
                    (unknown.isEmpty() ? "" : "unknown input(s) " + unknown + "; ")
                            + (missing.isEmpty() ? "" : "missing input(s) " + missing + "; ") + "the model takes "
                            + expected);
        }
    }

    /**
     * Orders and checks {@code byName}. With {@code allowUnitExpansion} (TF Serving's lenience) a tensor
     * one rank short whose missing last dimension is declared as 1 gets that dimension added.
     */
    static Conformed conform(
            Signature signature, Map<String, HostTensor> byName, boolean allowUnitExpansion, String field) {
        checkNames(signature, byName.keySet(), field);
        List<HostTensor> ordered = new ArrayList<>();
        boolean expanded = false;
        Long rows = null;
        for (TensorSpec spec : signature.inputs()) {
            HostTensor tensor = byName.get(spec.name());
            String where = field + "." + spec.name();
            if (spec.hasShape()) {
                long[] want = spec.shape();
                if (allowUnitExpansion && tensor.rank() == want.length - 1 && want[want.length - 1] == 1) {
                    long[] shape = Arrays.copyOf(tensor.shape(), want.length);
                    shape[want.length - 1] = 1;
                    tensor = new HostTensor(tensor.dtype(), shape, tensor.buffer());
                    expanded = true;
                }
                checkShape(tensor, spec, where);
            } else if (tensor.rank() == 0) {
                throw Failure.of(Failure.Code.INPUT_MISMATCH, where, "a scalar cannot be batched; send a list");
            }
            if (tensor.size() == 0) {
                throw Failure.invalid(where, "empty tensor " + Arrays.toString(tensor.shape()));
            }
            if (rows == null) {
                rows = tensor.dim(0);
            } else if (tensor.dim(0) != rows && signature.batchable()) {
                throw Failure.of(
                        Failure.Code.INPUT_MISMATCH,
                        where,
                        "has " + tensor.dim(0) + " rows but other inputs have " + rows);
            }
            ordered.add(tensor);
        }
        return new Conformed(ordered, expanded);
    }

    private static void checkShape(HostTensor tensor, TensorSpec spec, String where) {
        long[] want = spec.shape();
        long[] got = tensor.shape();
        if (got.length != want.length) {
            throw Failure.of(
                    Failure.Code.INPUT_MISMATCH,
                    where,
                    "expected rank " + want.length + " " + shapeText(want) + ", got rank " + got.length + " "
                            + Arrays.toString(got));
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i] >= 0 && want[i] != got[i]) {
                throw Failure.of(
                        Failure.Code.INPUT_MISMATCH,
                        where,
                        "expected shape " + shapeText(want) + ", got " + Arrays.toString(got) + " (dimension " + i
                                + " must be " + want[i] + ")");
            }
        }
    }

    static String shapeText(long[] shape) {
        return Arrays.toString(shape).replace("-1", "*");
    }
}
