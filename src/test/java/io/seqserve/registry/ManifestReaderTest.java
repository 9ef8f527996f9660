package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** seqserve.yaml / seqserve.json: what is read, what is refused and with which words, and the round trip. */
class ManifestReaderTest {

    @TempDir
    Path dir;

    private static final String FULL = """
            format: torchscript
            task: forecasting
            description: LSTM(32) on sunspots
            inputs:
              - {name: input, dtype: float32, shape: [-1, 24, 1]}
            outputs:
              - {name: output, dtype: float32, shape: [-1, 1]}
            forecasting:
              window: 24
              scaling: {method: zscore, mean: [42.9], std: [34.2]}
            batching: {max_batch_size: 16, max_delay_ms: 5, queue_capacity: 64}
            workers: {cpu: 2}
            required: true
            metrics: {test_rmse: 17.5}
            """;

    @Test
    void aDirectoryWithoutAManifestHasTheEmptyOne() throws Exception {
        assertThat(ManifestReader.read(dir)).isSameAs(Manifest.EMPTY);
        assertThat(Manifest.EMPTY.taskOrDefault()).isEqualTo("generic");
    }

    @Test
    void readsEverySectionInSnakeCase() throws Exception {
        Files.writeString(dir.resolve(ManifestReader.YAML_NAME), FULL);
        Manifest m = ManifestReader.read(dir);
        assertThat(m.format()).isEqualTo("torchscript");
        assertThat(m.taskOrDefault()).isEqualTo("forecasting");
        assertThat(m.inputs()).containsExactly(new Manifest.TensorDecl("input", "float32", List.of(-1L, 24L, 1L)));
        assertThat(m.outputs().get(0).shape()).containsExactly(-1L, 1L);
        assertThat(m.forecasting()).containsEntry("window", 24);
        assertThat(m.batching()).isEqualTo(new Manifest.Batching(16, 5, 64));
        assertThat(m.workers()).isEqualTo(Map.of("cpu", 2));
        assertThat(m.required()).isTrue();
        assertThat(m.metrics()).containsEntry("test_rmse", 17.5);
    }

    @Test
    void yamlWinsOverJsonAndJsonIsReadWhenAlone() throws Exception {
        Files.writeString(dir.resolve(ManifestReader.JSON_NAME), "{\"format\": \"onnx\", \"task\": \"generic\"}");
        assertThat(ManifestReader.read(dir).format()).isEqualTo("onnx");
        Files.writeString(dir.resolve(ManifestReader.YAML_NAME), "format: savedmodel\n");
        assertThat(ManifestReader.read(dir).format()).isEqualTo("savedmodel");
    }

    @Test
    void anEmptyFileIsTheEmptyManifest() throws Exception {
        assertThat(ManifestReader.parse("", true)).isSameAs(Manifest.EMPTY);
        assertThat(ManifestReader.parse("\n  \n", false)).isSameAs(Manifest.EMPTY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "unknown key|`colour: blue`|colour",
                "unknown format|`format: tflite`|format must be one of",
                "unknown task|`task: classification`|task must be one of",
                "input without a name|`inputs: [{dtype: float32}]`|inputs[0].name is required",
                "unknown dtype|`inputs: [{name: x, dtype: complex64}]`|inputs[0].dtype must be one of",
                "zero dimension|`outputs: [{name: y, shape: [-1, 0]}]`|outputs[0].shape dimensions must be positive or -1",
                "dimension below -1|`inputs: [{name: x, shape: [-2]}]`|inputs[0].shape dimensions must be positive or -1",
                "batch size 0|`batching: {max_batch_size: 0}`|batching.max_batch_size must be in 1..4096",
                "delay too long|`batching: {max_delay_ms: 10001}`|batching.max_delay_ms must be in 0..10000",
                "queue of 0|`batching: {queue_capacity: 0}`|batching.queue_capacity must be in 1..1000000",
                "unknown device|`workers: {tpu0: 1}`|unknown device 'tpu0'",
                "too many workers|`workers: {cpu: 65}`|workers.cpu must be in 0..64",
                "not a mapping|`[1, 2, 3]`|invalid manifest",
                "wrong type|`required: [yes]`|invalid manifest"
            })
    void refusesWhatItCannotUseWithTheReason(String what, String yaml, String reason) {
        assertThatThrownBy(() -> ManifestReader.parse(yaml, true))
                .isInstanceOf(ManifestReader.InvalidManifestException.class)
                .hasMessageStartingWith("invalid manifest")
                .hasMessageContaining(reason);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> ManifestReader.parse("format: x\ntask: y\nworkers: {cpu: -1}\n", true))
                .hasMessageContaining("format must be one of")
                .hasMessageContaining("task must be one of")
                .hasMessageContaining("workers.cpu must be in 0..64");
    }

    @Test
    void anInvalidManifestIsTheClientsBadRequestWhenItCameWithARegistration() {
        Failure failure = new ManifestReader.InvalidManifestException("invalid manifest: colour").asApiException();
        assertThat(failure.kind()).isEqualTo(Failure.Kind.INVALID);
    }

    @Test
    void writtenYamlAndJsonReadBackToTheSameManifest() throws Exception {
        Manifest m = ManifestReader.parse(FULL, true);
        assertThat(ManifestReader.parse(ManifestReader.toYaml(m), true)).isEqualTo(m);
        assertThat(ManifestReader.parse(ManifestReader.toJson(m), false)).isEqualTo(m);
        assertThat(ManifestReader.toYaml(m)).doesNotContain("null").doesNotStartWith("---");
    }

    @Test
    void everyDemoModelsManifestIsValid() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("models"))) {
            List<Path> manifests = files.filter(p -> p.getFileName().toString().equals(ManifestReader.YAML_NAME))
                    .toList();
            assertThat(manifests).isNotEmpty();
            for (Path manifest : manifests) {
                assertThat(ManifestReader.read(manifest.getParent()))
                        .as(manifest.toString())
                        .isNotNull();
            }
        }
    }
}
