package io.seqserve.console;

import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The models the console tests show, published once into the shared test models root under {@code console-}
 * names (each version prepared beside it and renamed into place): the repository's demo sunspots LSTM
 * (TorchScript, with its calibrated residuals, so forecasts have intervals), the demo Keras char GRU, and a
 * version that cannot load, whose reason the Models view must show.
 */
final class ConsoleTestModels {

    static final String FORECASTER = "console-sunspots";
    static final String TEXT = "console-gru";
    static final String BROKEN = "console-broken";
    static final List<String> AVAILABLE = List.of(FORECASTER, TEXT);

    private static boolean published;

    private ConsoleTestModels() {}

    static synchronized void publish() throws IOException {
        if (published) {
            return;
        }
        published = true;
        publish(FORECASTER, Path.of("models/sunspots-lstm/1"));
        publish(TEXT, Path.of("models/shakespeare-gru/1"));
        Path staging = Files.createTempDirectory(TestModelRoot.get(), ".publish-");
        Files.writeString(staging.resolve("model.pt"), "not a TorchScript archive");
        moveIn(staging, BROKEN);
    }

    private static void publish(String name, Path source) throws IOException {
        Path staging = Files.createTempDirectory(TestModelRoot.get(), ".publish-");
        TestModelRoot.copy(source, staging);
        moveIn(staging, name);
    }

    private static void moveIn(Path staging, String name) throws IOException {
        Path model = Files.createDirectories(TestModelRoot.get().resolve(name));
        Files.move(staging, model.resolve("1"), StandardCopyOption.ATOMIC_MOVE);
    }
}
