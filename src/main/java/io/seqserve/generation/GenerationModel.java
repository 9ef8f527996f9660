package io.seqserve.generation;

import ai.djl.ndarray.types.DataType;
import io.seqserve.Failure;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.Signature;
import io.seqserve.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * How to run one text-generation model version: its tokenizer, which input takes the token ids (and
 * in which dtype), how long a window it reads, which output holds the next-token scores and whether
 * those are probabilities, and which tensors carry state from step to step. Built once per version
 * from its manifest and signature; every mismatch is an UNPROCESSABLE failure naming the manifest field.
 */
final class GenerationModel {

    private static final Set<DataType> ID_TYPES =
            Set.of(DataType.INT64, DataType.INT32, DataType.FLOAT32, DataType.FLOAT64);

    /** A state tensor: fed at input {@code input}, returned at output {@code output}, {@code shape[0] == 1}. */
    record StateSlot(int input, int output, DataType dtype, long[] shape) {}

    final Tokenizer tokenizer;
    final int inputCount;
    final int tokenInput;
    final DataType tokenType;
    /** Tokens per row the model reads at once: a window size, or 0 for the whole history. */
    final int contextLength;
    /** Stateful models whose token input takes exactly one token per row feed prompts one token a step. */
    final boolean oneTokenPerStep;

    final int padId;
    /**
     * Whole-history models scoring every position ([batch, -1, vocab]): rows of different lengths can
     * share a pass right-padded, each read at its own last position. Exact for a causal model, as a
     * language model is: the score at position t depends on tokens up to t only.
     */
    final boolean rightPadding;

    final int scoresOutput;
    /** True or false when the manifest says; null to decide per row. */
    final Boolean probabilities;

    final List<StateSlot> states;

    /** Use {@link #of}; the parts are given directly only by tests of the decoding loop. */
    GenerationModel(
            Tokenizer tokenizer,
            int inputCount,
            int tokenInput,
            DataType tokenType,
            int contextLength,
            boolean oneTokenPerStep,
            int padId,
            boolean rightPadding,
            int scoresOutput,
            Boolean probabilities,
            List<StateSlot> states) {
        this.tokenizer = tokenizer;
        this.inputCount = inputCount;
        this.tokenInput = tokenInput;
        this.tokenType = tokenType;
        this.contextLength = contextLength;
        this.oneTokenPerStep = oneTokenPerStep;
        this.padId = padId;
        this.rightPadding = rightPadding;
        this.scoresOutput = scoresOutput;
        this.probabilities = probabilities;
        this.states = List.copyOf(states);
    }

    boolean stateful() {
        return !states.isEmpty();
    }

    static GenerationModel of(ModelVersion version) {
        if (!"text-generation".equals(version.task())) {
            throw Failure.of(
                    Failure.Code.WRONG_TASK,
                    "model '" + version.name() + "' has task '" + version.task()
                            + "'; generation needs a model whose manifest says task: text-generation");
        }
        TextGenerationSpec spec = TextGenerationSpec.parse(version.manifest().textGeneration());
        Vocabulary vocabulary = Vocabulary.of(spec, version.dir());
        int unknownId = spec.unknownToken() == null ? -1 : vocabulary.required(spec.unknownToken(), "unknown_token");
        int padId = spec.padToken() == null ? 0 : vocabulary.required(spec.padToken(), "pad_token");
        Tokenizer tokenizer = new Tokenizer(vocabulary, spec.isWordLevel(), spec.lowercased(), unknownId);
        Boolean probabilities = switch (spec.output() == null ? "" : spec.output()) {
            case "" -> null;
            case "logits" -> false;
            case "probabilities" -> true;
            default -> throw Failure.unprocessable("text_generation.output must be logits or probabilities");
        };
        Signature signature = version.signature();
        List<String> stateIn = spec.state() == null || spec.state().inputs() == null
                ? List.of()
                : spec.state().inputs();
        List<String> stateOut = spec.state() == null || spec.state().outputs() == null
                ? List.of()
                : spec.state().outputs();
        if (stateIn.size() != stateOut.size() || spec.state() != null && stateIn.isEmpty()) {
            throw Failure.unprocessable(
                    "text_generation.state needs as many outputs as inputs (paired by position), at least one");
        }
        List<StateSlot> states = new ArrayList<>();
        for (int i = 0; i < stateIn.size(); i++) {
            states.add(stateSlot(signature, stateIn.get(i), stateOut.get(i)));
        }
        int tokenInput = theOther(signature.inputs(), stateIn, "input");
        int scoresOutput = theOther(signature.outputs(), stateOut, "output");
        TensorSpec tokens = signature.inputs().get(tokenInput);
        if (!ID_TYPES.contains(tokens.dtype()) || tokens.hasShape() && tokens.rank() != 2) {
            throw Failure.unprocessable(
                    "input '" + tokens.name() + "' must take token ids as [batch, sequence] of int64, int32,"
                            + " float32 or float64; it is " + tokens);
        }
        long fixedLength = tokens.hasShape() ? tokens.shape()[1] : -1;
        TensorSpec scores = signature.outputs().get(scoresOutput);
        checkScores(scores, vocabulary.size());
        int context = contextLength(spec, fixedLength, !states.isEmpty());
        boolean rightPadding = states.isEmpty() && context == 0 && scores.rank() == 3 && scores.shape()[1] == -1;
        return new GenerationModel(
                tokenizer,
                signature.inputs().size(),
                tokenInput,
                tokens.dtype(),
                context,
                !states.isEmpty() && fixedLength == 1,
                padId,
                rightPadding,
                scoresOutput,
                probabilities,
                states);
    }

    private static int contextLength(TextGenerationSpec spec, long fixedLength, boolean stateful) {
        Integer declared = spec.contextLength();
        if (stateful) {
            if (declared != null || fixedLength > 1) {
                throw Failure.unprocessable(
                        "a stateful model reads its history from the state: its token input must take"
                                + " [batch, 1] or [batch, -1] and text_generation.context_length does not apply");
            }
            return 0;
        }
        if (declared != null && (declared < 1 || fixedLength > 0 && declared != fixedLength)) {
            throw Failure.unprocessable(
                    "text_generation.context_length must be positive and match the model's fixed input length "
                            + fixedLength);
        }
        return declared != null ? declared : (int) Math.max(0, fixedLength);
    }

    private static void checkScores(TensorSpec scores, int vocabularySize) {
        if (!scores.hasShape()) {
            return;
        }
        long[] shape = scores.shape();
        if (shape.length != 2 && shape.length != 3) {
            throw Failure.unprocessable("output '" + scores.name()
                    + "' must be [batch, vocab] or [batch, sequence, vocab]; it is " + Arrays.toString(shape));
        }
        long width = shape[shape.length - 1];
        if (width > 0 && width != vocabularySize) {
            throw Failure.unprocessable("output '" + scores.name() + "' scores " + width
                    + " tokens but the vocabulary has " + vocabularySize);
        }
    }

    private static StateSlot stateSlot(Signature signature, String inputName, String outputName) {
        int in = indexOf(signature.inputs(), inputName, "state input");
        int out = indexOf(signature.outputs(), outputName, "state output");
        TensorSpec input = signature.inputs().get(in);
        TensorSpec output = signature.outputs().get(out);
        if (!input.hasShape()
                || input.rank() < 2
                || Arrays.stream(input.shape()).skip(1).anyMatch(d -> d < 1)) {
            throw Failure.unprocessable(
                    "state input '" + inputName + "' needs a declared shape [batch, fixed dims...]; it is " + input);
        }
        boolean sameShape =
                !output.hasShape() || output.rank() == input.rank() && dimsMatch(input.shape(), output.shape());
        if (input.dtype() != output.dtype() || !sameShape) {
            throw Failure.unprocessable("state output '" + outputName + "' (" + output
                    + ") must have the dtype and shape of input '" + inputName + "' (" + input + ")");
        }
        long[] shape = input.shape().clone();
        shape[0] = 1;
        return new StateSlot(in, out, input.dtype(), shape);
    }

    private static boolean dimsMatch(long[] a, long[] b) {
        for (int i = 1; i < a.length; i++) {
            if (b[i] > 0 && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(List<TensorSpec> tensors, String name, String what) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(name)) {
                return i;
            }
        }
        throw Failure.unprocessable(
                "text_generation.state names " + what + " '" + name + "', which the model does not have ("
                        + tensors.stream().map(TensorSpec::name).toList() + ")");
    }

    /** The one tensor that is not state. */
    private static int theOther(List<TensorSpec> tensors, List<String> state, String what) {
        int found = -1;
        for (int i = 0; i < tensors.size(); i++) {
            if (!state.contains(tensors.get(i).name())) {
                if (found >= 0) {
                    throw Failure.unprocessable(
                            "the model has more than one " + what + " besides text_generation.state: "
                                    + tensors.stream()
                                            .map(TensorSpec::name)
                                            .filter(n -> !state.contains(n))
                                            .toList());
                }
                found = i;
            }
        }
        if (found < 0) {
            throw Failure.unprocessable("the model has no token " + what + " besides text_generation.state");
        }
        return found;
    }
}
