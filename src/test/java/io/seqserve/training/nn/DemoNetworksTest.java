package io.seqserve.training.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.registry.Manifest;
import io.seqserve.registry.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every model seqserve trained and ships in {@code models/} rebuilds its network from its manifest. */
class DemoNetworksTest {

    @Test
    void everyDemoArchitectureBuildsIncludingManifestsWrittenBeforeMultiTargetTraining() throws Exception {
        List<Manifest> trained;
        try (Stream<Path> files = Files.walk(Path.of("models"))) {
            trained = files.filter(p -> p.getFileName().toString().equals(ManifestReader.YAML_NAME))
                    .map(p -> read(p.getParent()))
                    .filter(m -> m.architecture() != null)
                    .toList();
        }
        assertThat(trained).hasSizeGreaterThanOrEqualTo(2);
        for (Manifest manifest : trained) {
            assertThat(new TrainedBlocks().build(manifest)).isNotNull();
        }
        Network gru = Network.fromArchitecture(trained.stream()
                .filter(m -> "forecaster".equals(m.architecture().get("kind")))
                .findFirst()
                .orElseThrow()
                .architecture());
        assertThat(((ForecasterNetwork) gru).targets()).isEqualTo(1);
    }

    private static Manifest read(Path dir) {
        try {
            return ManifestReader.read(dir);
        } catch (Exception e) {
            throw new IllegalStateException(dir.toString(), e);
        }
    }
}
