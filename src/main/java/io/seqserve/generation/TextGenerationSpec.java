package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.StrictJson;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * The manifest's {@code text_generation:} block as written, read with {@link StrictJson} (a vocabulary
 * entry that YAML would read as a number must be quoted). {@link GenerationModel} checks it against the
 * model's signature.
 *
 * @param level          {@code char} (default) or {@code word}
 * @param vocabulary     the tokens, id = index; or {@code vocabularyFile}, relative to the version directory
 * @param contextLength  fixed input length: the model is fed the last {@code contextLength} tokens
 * @param padToken       left-pads windows shorter than {@code contextLength} (default: the first token)
 * @param unknownToken   prompt text outside the vocabulary maps to this token; without one the prompt is refused (UNPROCESSABLE)
 * @param lowercase      lower-case prompts before tokenizing
 * @param output         {@code logits} or {@code probabilities}; when absent a row that is non-negative
 *                       and sums to 1 is read as probabilities
 * @param state          state tensors a stateful model takes and returns, paired by position
 */
record TextGenerationSpec(
        String level,
        List<String> vocabulary,
        String vocabularyFile,
        Integer contextLength,
        String padToken,
        String unknownToken,
        Boolean lowercase,
        String output,
        State state) {

    /** {@code outputs[i]} is the next value of {@code inputs[i]}; the first step starts from zeros. */
    record State(List<String> inputs, List<String> outputs) {}

    static TextGenerationSpec parse(Map<String, Object> block) {
        if (block == null) {
            throw Failure.unprocessable("the model's manifest has no text_generation block (level, vocabulary)");
        }
        try {
            return StrictJson.MAPPER.convertValue(block, TextGenerationSpec.class);
        } catch (JacksonException e) {
            throw Failure.unprocessable("the model's text_generation block is invalid: " + e.getOriginalMessage());
        }
    }

    boolean isWordLevel() {
        if (level == null || level.equals("char")) {
            return false;
        }
        if (level.equals("word")) {
            return true;
        }
        throw Failure.unprocessable("text_generation.level must be char or word, not '" + level + "'");
    }

    boolean lowercased() {
        return Boolean.TRUE.equals(lowercase);
    }
}
