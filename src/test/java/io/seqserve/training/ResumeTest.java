package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqserve.runtime.Devices;
import io.seqserve.training.data.DataProperties;
import io.seqserve.training.data.Dataset;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.training.data.DurableWriter;
import io.seqserve.training.nn.Checkpoints;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.EpochStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Durability: a job survives the death of its server. Each "server" here is a training service over its
 * own data directory, built as the application builds it, publishing into the shared registry.
 * A kill -9 is simulated by copying the data directory while a job runs (what a killed process leaves
 * on disk) and starting a new service on the copy; a SIGTERM by stopping the service mid-job and
 * starting a new one on the same directory. Either way the job finishes from its last checkpoint.
 */
class ResumeTest extends TrainingHttpTest {

    private static final int EPOCHS = 30;

    @Autowired
    VersionPublisher publisher;

    @Autowired
    Devices devices;

    @TempDir
    Path temp;

    /** One server's training side. */
    private record Node(JobService jobs, DatasetStore datasets) {}

    private Node start(Path data) {
        TrainingProperties properties = new TrainingProperties(
                1,
                1,
                32,
                DataSize.ofMegabytes(64),
                16,
                1000,
                Duration.ofMinutes(1),
                Duration.ofSeconds(15),
                Duration.ofSeconds(20),
                0.5);
        DataProperties dataDir = new DataProperties(data);
        DurableWriter writer = new DurableWriter();
        JobStore store = new JobStore(dataDir, writer);
        DatasetStore datasets = new DatasetStore(dataDir, properties.maxDatasetSize());
        JobExecutors executors = new JobExecutors(properties, devices);
        TrainingMetrics metrics = new TrainingMetrics(new SimpleMeterRegistry());
        TrainingPipeline pipeline = new TrainingPipeline(datasets, store, publisher, metrics, properties, executors);
        JobService jobs = new JobService(properties, store, datasets, executors, pipeline, writer, metrics);
        jobs.start();
        return new Node(jobs, datasets);
    }

    private String submit(Node node, String model) throws IOException {
        String ds;
        try (InputStream csv = Files.newInputStream(DATASETS.resolve("co2.csv"))) {
            ds = node.datasets().create("co2", Dataset.CSV, csv).id();
        }
        TrainingRequest body = JsonMapper.shared().readValue("""
                {"model_name": "%s", "dataset": {"id": "%s", "column": "co2"}, "window": 24,
                 "architecture": {"cell": "lstm", "hidden_size": 16},
                 "training": {"epochs": %d, "batch_size": 64, "early_stopping_patience": 0}}
                """.formatted(model, ds, EPOCHS), TrainingRequest.class);
        return node.jobs().submit(body, null).job().id();
    }

    @Test
    void afterAKillTheRunningJobResumesFromItsLastCheckpoint() throws Exception {
        Path first = temp.resolve("first");
        Path image = temp.resolve("image");
        Node dying = start(first);
        String id = submit(dying, "tr-resume-kill");
        EpochLoop.State checkpoint = null;
        while (checkpoint == null) {
            await(dying, id, j -> j.history().size() >= 3);
            AtomicCopy.tree(first, image);
            checkpoint = new Checkpoints(image.resolve("jobs").resolve(id).resolve("checkpoints"))
                    .latest()
                    .orElse(null);
        }
        dying.jobs().cancel(id);
        dying.jobs().stop();
        JsonNode record =
                JSON.readTree(Files.readString(image.resolve("jobs").resolve(id).resolve("job.json")));
        assertThat(record.get("status").asString()).isEqualTo("running");

        Node restarted = start(image);
        JobView done = await(
                restarted, id, j -> j.status().equals("succeeded") || j.status().equals("failed"));
        restarted.jobs().stop();
        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo("succeeded");
        assertFinishedFrom(done, checkpoint.history());
        assertThat(json(get("/v1/models/tr-resume-kill")).get("state").asString())
                .isEqualTo("available");
    }

    @Test
    void aShutdownCheckpointsRunningJobsWhichResumeOnTheNextStart() throws Exception {
        Path data = temp.resolve("data");
        Node first = start(data);
        String id = submit(first, "tr-resume-term");
        await(first, id, j -> j.history().size() >= 3);
        first.jobs().stop();
        JobView stopped = first.jobs().get(id);
        assertThat(stopped.status()).isEqualTo("queued");
        JsonNode record =
                JSON.readTree(Files.readString(data.resolve("jobs").resolve(id).resolve("job.json")));
        assertThat(record.get("status").asString()).isEqualTo("queued");
        EpochLoop.State checkpoint = new Checkpoints(
                        data.resolve("jobs").resolve(id).resolve("checkpoints"))
                .latest()
                .orElseThrow();
        assertThat(checkpoint.epoch()).isGreaterThanOrEqualTo(3);

        Node second = start(data);
        JobView done = await(
                second, id, j -> j.status().equals("succeeded") || j.status().equals("failed"));
        second.jobs().stop();
        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo("succeeded");
        assertFinishedFrom(done, checkpoint.history());
        assertThat(Files.exists(data.resolve("jobs").resolve(id).resolve("checkpoints")))
                .isFalse();
        assertThat(json(get("/v1/models/tr-resume-term")).get("state").asString())
                .isEqualTo("available");
    }

    /** All epochs ran once, and those before the checkpoint are the checkpoint's own (not recomputed). */
    private static void assertFinishedFrom(JobView done, List<EpochStats> before) {
        List<EpochStats> history = done.history();
        assertThat(history).hasSize(EPOCHS);
        for (int i = 0; i < EPOCHS; i++) {
            assertThat(history.get(i).epoch()).isEqualTo(i + 1);
        }
        assertThat(history.subList(0, before.size())).isEqualTo(before);
    }

    private static JobView await(Node node, String id, Predicate<JobView> condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(50).toNanos();
        while (true) {
            JobView job = node.jobs().get(id);
            if (condition.test(job)) {
                return job;
            }
            assertThat(System.nanoTime())
                    .as("job %s in time: %s", id, job.status())
                    .isLessThan(until);
            Thread.sleep(10);
        }
    }

    /** Copies a directory tree that is being written to, as a snapshot of the disk would see it. */
    private static final class AtomicCopy extends SimpleFileVisitor<Path> {
        private final Path from;
        private final Path to;

        private AtomicCopy(Path from, Path to) {
            this.from = from;
            this.to = to;
        }

        static void tree(Path from, Path to) throws IOException {
            if (Files.exists(to)) {
                io.seqserve.registry.AtomicFiles.deleteTree(to);
            }
            Files.walkFileTree(from, new AtomicCopy(from, to));
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            try {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            } catch (NoSuchFileException e) {
                // removed while copying: the snapshot simply does not have it
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
        }
    }
}
