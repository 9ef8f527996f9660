package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.TestModelRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A trained version is a self-contained directory: copied under another name it loads from disk alone
 * and answers as the original; without its architecture it fails to load with a clear error. Training
 * shows up in the Prometheus scrape.
 */
class TrainedVersionTest extends TrainingHttpTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String INPUT = "[[" + "[0.5],".repeat(9) + "[0.5]]]";

    @Test
    void aCopiedVersionLoadsFromDiskAndAnswersAsTheOriginal() throws Exception {
        String ds = uploadCsv("nile.csv");
        succeeded(submit("""
                {"model_name": "tr-original", "dataset": {"id": "%s", "column": "volume"}, "window": 10,
                 "architecture": {"cell": "gru", "hidden_size": 8}, "training": {"epochs": 2}}
                """.formatted(ds)));
        Path original = TestModelRoot.get().resolve("tr-original/1");
        publish(original, "tr-copy", null);
        awaitState("tr-copy", "available");
        assertThat(predict("tr-copy", INPUT)).isEqualTo(predict("tr-original", INPUT));

        publish(original, "tr-no-architecture", "architecture");
        JsonNode failed = awaitState("tr-no-architecture", "failed");
        assertThat(failed.get("error").asString()).contains("architecture");
    }

    @Test
    void trainingMetricsAreScraped() throws Exception {
        String ds = uploadCsv("nile.csv");
        succeeded(submit("""
                {"model_name": "tr-metrics", "dataset": {"id": "%s", "column": "volume"}, "window": 10,
                 "architecture": {"hidden_size": 4}, "training": {"epochs": 2}}
                """.formatted(ds)));
        String scrape = get("/actuator/prometheus").body();
        assertThat(scrape).contains("seqserve_training_jobs{application=\"seqserve\",status=\"succeeded\"}");
        assertThat(scrape).contains("seqserve_training_jobs{application=\"seqserve\",status=\"running\"}");
        assertThat(scrape)
                .contains(
                        "seqserve_training_epoch_duration_seconds_count{application=\"seqserve\",task=\"forecasting\"}");
        assertThat(scrape)
                .contains("seqserve_training_loss{application=\"seqserve\",model=\"tr-metrics\",split=\"train\"}");
        assertThat(scrape)
                .contains("seqserve_training_loss{application=\"seqserve\",model=\"tr-metrics\",split=\"validation\"}");
        assertThat(scrape)
                .contains("seqserve_training_samples_per_second{application=\"seqserve\",model=\"tr-metrics\"}");
    }

    /** Copies a version under a new name (optionally without one manifest line), published by one rename. */
    private static void publish(Path version, String name, String dropKey) throws Exception {
        Path staging = Files.createTempDirectory(TestModelRoot.get(), ".publish-");
        TestModelRoot.copy(version, staging);
        if (dropKey != null) {
            Path manifest = staging.resolve("seqserve.yaml");
            ObjectNode yaml = (ObjectNode) YAML.readTree(Files.readString(manifest));
            yaml.remove(dropKey);
            Files.writeString(manifest, YAML.writeValueAsString(yaml));
        }
        Files.createDirectories(TestModelRoot.get().resolve(name));
        Files.move(staging, TestModelRoot.get().resolve(name).resolve("1"), StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode awaitState(String model, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var r = get("/v1/models/" + model + "/versions/1");
            if (r.statusCode() == 200 && json(r).get("state").asString().equals(state)) {
                return json(r);
            }
            assertThat(System.nanoTime())
                    .as("%s %s in time: %s", model, state, r.body())
                    .isLessThan(until);
            Thread.sleep(50);
        }
    }
}
