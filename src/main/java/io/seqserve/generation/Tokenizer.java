package io.seqserve.generation;

import io.seqserve.Failure;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Turns prompts into token ids and ids back into text, at character or word level. Characters are
 * Unicode code points; words are separated by whitespace and joined with one space when decoded.
 */
final class Tokenizer {

    private static final int SHOWN_UNKNOWNS = 10;

    private final Vocabulary vocabulary;
    private final boolean words;
    private final boolean lowercase;
    private final int unknownId;

    Tokenizer(Vocabulary vocabulary, boolean words, boolean lowercase, int unknownId) {
        this.vocabulary = vocabulary;
        this.words = words;
        this.lowercase = lowercase;
        this.unknownId = unknownId;
    }

    /** The prompt's ids; text outside the vocabulary maps to the unknown token, or is refused (UNPROCESSABLE) without one. */
    int[] encode(String prompt) {
        String text = lowercase ? prompt.toLowerCase(Locale.ROOT) : prompt;
        String[] pieces = words
                ? splitWords(text)
                : text.codePoints().mapToObj(Character::toString).toArray(String[]::new);
        int[] ids = new int[pieces.length];
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < pieces.length; i++) {
            ids[i] = vocabulary.id(pieces[i]);
            if (ids[i] < 0) {
                ids[i] = unknownId;
                if (unknownId < 0 && unknown.size() < SHOWN_UNKNOWNS) {
                    unknown.add(pieces[i]);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw Failure.of(
                    Failure.Code.UNKNOWN_TOKEN,
                    "prompt",
                    (words ? "words" : "characters") + " not in the model's vocabulary"
                            + " (and it has no unknown_token): " + quoted(unknown));
        }
        return ids;
    }

    /** The text of token {@code id} appended to text that ends in whitespace (or is empty) or not. */
    String piece(int id, boolean afterWhitespace) {
        String token = vocabulary.token(id);
        return !words || afterWhitespace || token.isBlank() ? token : " " + token;
    }

    int vocabularySize() {
        return vocabulary.size();
    }

    private static String[] splitWords(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
    }

    private static String quoted(Set<String> pieces) {
        StringBuilder out = new StringBuilder();
        for (String piece : pieces) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append('\'');
            piece.codePoints()
                    .forEach(c ->
                            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
            out.append('\'');
        }
        return out.toString();
    }
}
