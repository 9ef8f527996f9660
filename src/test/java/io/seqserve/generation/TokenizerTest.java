package io.seqserve.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Character and word tokenizers and the vocabulary files they are built from. */
class TokenizerTest {

    @TempDir
    Path dir;

    private static TextGenerationSpec inline(List<String> vocabulary) {
        return new TextGenerationSpec(null, vocabulary, null, null, null, null, null, null, null);
    }

    private static TextGenerationSpec file(String path) {
        return new TextGenerationSpec(null, null, path, null, null, null, null, null, null);
    }

    @Test
    void charactersAreCodePointsAndLowerCasingIsOptional() {
        Vocabulary v = Vocabulary.of(inline(List.of(" ", "a", "b", "é", "😀")), dir);
        assertThat(new Tokenizer(v, false, false, -1).encode("ab é😀")).containsExactly(1, 2, 0, 3, 4);
        assertThat(new Tokenizer(v, false, true, -1).encode("AB")).containsExactly(1, 2);
        assertThatThrownBy(() -> new Tokenizer(v, false, false, -1).encode("AB"))
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.UNPROCESSABLE))
                .hasMessageContaining("'A', 'B'");
        assertThat(new Tokenizer(v, false, false, 0).encode("aXb")).containsExactly(1, 0, 2);
        assertThat(new Tokenizer(v, false, false, -1).piece(3, false)).isEqualTo("é");
    }

    @Test
    void wordsAreSplitOnWhitespaceAndJoinedWithOneSpace() {
        Tokenizer words =
                new Tokenizer(Vocabulary.of(inline(List.of("<unk>", "the", "cat", "\n")), dir), true, true, 0);
        assertThat(words.encode("  The\tcat  sat ")).containsExactly(1, 2, 0);
        assertThat(words.encode("")).isEmpty();
        assertThat(words.piece(2, false)).isEqualTo(" cat");
        assertThat(words.piece(2, true)).isEqualTo("cat");
        assertThat(words.piece(3, false)).isEqualTo("\n");
    }

    @Test
    void vocabularyFilesAreJsonOrOneTokenALine() throws Exception {
        Files.writeString(dir.resolve("vocab.json"), "{\"note\": \"x\", \"vocab\": [\" \", \"e\", \"\\n\"]}");
        Files.writeString(dir.resolve("list.json"), "[\"x\", \"y\"]");
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("assets/words.txt"), "alpha\r\nbeta\ngamma\n");

        assertThat(Vocabulary.of(file("vocab.json"), dir).token(2)).isEqualTo("\n");
        assertThat(Vocabulary.of(file("list.json"), dir).size()).isEqualTo(2);
        Vocabulary lines = Vocabulary.of(file("assets/words.txt"), dir);
        assertThat(lines.size()).isEqualTo(3);
        assertThat(lines.id("beta")).isEqualTo(1);
        assertThat(lines.id("gamma")).isEqualTo(2);
    }

    @Test
    void unusableVocabulariesAre422() throws Exception {
        Path version = Files.createDirectories(dir.resolve("model/1"));
        Files.writeString(dir.resolve("secret.txt"), "a\nb\n");
        Files.createSymbolicLink(version.resolve("link.txt"), dir.resolve("secret.txt"));
        Files.writeString(version.resolve("empty.txt"), "");
        Files.writeString(version.resolve("numbers.json"), "[1, 2]");
        Files.writeString(version.resolve("dupes.txt"), "a\nb\na\n");
        List<TextGenerationSpec> bad = List.of(
                inline(List.of()),
                file("../../secret.txt"),
                file(dir.resolve("secret.txt").toString()),
                file("link.txt"),
                file("missing.txt"),
                file("empty.txt"),
                file("numbers.json"),
                file("dupes.txt"),
                new TextGenerationSpec(null, List.of("a"), "empty.txt", null, null, null, null, null, null),
                new TextGenerationSpec(null, null, null, null, null, null, null, null, null));
        for (TextGenerationSpec spec : bad) {
            assertThatThrownBy(() -> Vocabulary.of(spec, version))
                    .as(String.valueOf(spec))
                    .isInstanceOfSatisfying(
                            Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.UNPROCESSABLE));
        }
    }
}
