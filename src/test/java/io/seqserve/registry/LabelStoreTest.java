package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** labels.json: round trip, atomic write, and a damaged file reported as unreadable (never a crash). */
class LabelStoreTest {

    @TempDir
    Path modelDir;

    @Test
    void noFileMeansNoLabels() {
        assertThat(LabelStore.read(modelDir)).isEmpty();
    }

    @Test
    void writesSortedJsonAndReadsItBack() throws IOException {
        LabelStore.write(modelDir, Map.of("production", 3L, "canary", 4L));
        assertThat(LabelStore.read(modelDir))
                .containsExactlyInAnyOrderEntriesOf(Map.of("production", 3L, "canary", 4L));
        String text = Files.readString(modelDir.resolve("labels.json"));
        assertThat(text.indexOf("canary")).isLessThan(text.indexOf("production"));
        try (Stream<Path> files = Files.list(modelDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .as("no temp file left")
                    .containsExactly("labels.json");
        }
        LabelStore.write(modelDir, Map.of("production", 5L));
        assertThat(LabelStore.read(modelDir)).containsExactlyEntriesOf(Map.of("production", 5L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{\"production\": null}", "{\"production\": \"three\"}", "[1, 2]", "{not json", ""})
    void aDamagedFileIsReportedAsUnreadable(String content) throws IOException {
        Files.writeString(modelDir.resolve("labels.json"), content);
        assertThatThrownBy(() -> LabelStore.read(modelDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unreadable");
    }
}
