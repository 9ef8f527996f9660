package io.seqserve.generation;

import io.seqserve.testing.TestModelRoot;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the models root of bench/generation: the demo char GRU as shipped (whole history re-fed each
 * step), the same with a fixed 100-character window, and its stateful re-export (one token per step).
 * Run with {@code ./mvnw -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.seqserve.generation.BenchModels -Dexec.args=<root>}.
 */
public final class BenchModels {

    private BenchModels() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path demo = Path.of("models/shakespeare-gru/1");
        String manifest = Files.readString(demo.resolve("seqserve.yaml"));
        TestModelRoot.copy(demo, root.resolve("shakespeare-gru/1"));
        TestModelRoot.copy(demo, root.resolve("shakespeare-gru-window/1"));
        Files.writeString(
                root.resolve("shakespeare-gru-window/1/seqserve.yaml"),
                manifest.replace("text_generation:\n", "text_generation:\n  context_length: 100\n"));
        Path stateful = root.resolve("shakespeare-gru-stateful/1");
        GenerationTestModels.statefulKerasGru(demo, stateful);
        Files.writeString(
                stateful.resolve("seqserve.yaml"),
                manifest.replace(
                                "text_generation:\n",
                                "text_generation:\n  state: {inputs: [state], outputs: [new_state]}\n")
                        .replace("description: \"", "description: \"Stateful re-export: "));
        System.out.println("bench models written to " + root.toAbsolutePath());
    }
}
