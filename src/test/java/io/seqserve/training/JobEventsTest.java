package io.seqserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.training.data.Json;
import io.seqserve.training.nn.EpochStats;
import io.seqserve.web.SseChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.JsonNode;

/**
 * A job's events go through the non-blocking channel: the training thread only queues them, so a client
 * whose connection is stuck (its write never returns) does not hold up epochs or the end of the job, and
 * gets every event in order once it reads again. A late subscriber gets the trials and history replayed.
 */
class JobEventsTest {

    private static final int EPOCHS = 200;

    private final ExecutorService writers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** A client that stopped reading: the first write blocks until released. */
    private static final class StalledEmitter extends ResponseBodyEmitter {
        final CountDownLatch stuck = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> frames = new CopyOnWriteArrayList<>();
        volatile boolean completed;

        @Override
        public void send(Object object, MediaType mediaType) {
            stuck.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            frames.add((String) object);
        }

        @Override
        public void complete() {
            completed = true;
        }
    }

    @AfterEach
    void stop() {
        writers.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void aStalledClientDoesNotHoldUpTheTrainingThread() throws Exception {
        Job job = new Job(running(new JobView.Search(2, 1, List.of(), null)));
        StalledEmitter emitter = new StalledEmitter();
        SseChannel channel = new SseChannel(emitter, writers, Json.FILES);
        job.subscribe(JobEvents.forward(channel));
        channel.begin(() -> {}, timer, Duration.ofMinutes(1));

        Thread training = new Thread(
                () -> {
                    job.trial(new JobView.Trial(1, Map.of("hidden_size", 4), 0.5, List.of(0.4, 0.6)));
                    for (int e = 1; e <= EPOCHS; e++) {
                        job.epoch(JobView.TRAIN, new EpochStats(e, 1.0 / e, 2.0 / e, 2.0 / e, 1000, 0.01), EPOCHS);
                    }
                    job.finish(JobStatus.SUCCEEDED, null, null);
                },
                "training");
        training.start();
        assertThat(emitter.stuck.await(10, TimeUnit.SECONDS))
                .as("the writer is stuck in the client's write")
                .isTrue();
        training.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(training.isAlive())
                .as("every epoch and the end ran while the client's write was stuck")
                .isFalse();
        assertThat(job.view().status()).isEqualTo("succeeded");
        assertThat(emitter.frames).isEmpty();

        emitter.release.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!emitter.completed) {
            assertThat(System.nanoTime())
                    .as("the stream ends once the client reads again")
                    .isLessThan(until);
            Thread.sleep(5);
        }
        List<String> frames = emitter.frames;
        assertThat(frames).hasSize(EPOCHS + 2);
        assertThat(frames.get(0)).startsWith("event:trial\ndata:{\"index\":1,").endsWith("\n\n");
        for (int e = 1; e <= EPOCHS; e++) {
            assertThat(frames.get(e)).startsWith("event:progress\ndata:{\"phase\":\"train\",\"epoch\":" + e + ",");
        }
        JsonNode status = Json.FILES.readTree(frames.get(EPOCHS + 1).substring("event:status\ndata:".length()));
        assertThat(status.get("status").asString()).isEqualTo("succeeded");
        assertThat(status.get("history").size()).isEqualTo(EPOCHS);
        assertThat(status.get("progress").get("phase").asString()).isEqualTo("finished");
        assertThat(status.get("progress").has("eta_seconds")).isFalse();
    }

    @Test
    void aLateSubscriberGetsTheTrialsTheHistoryAndTheEnd() {
        Job job = new Job(running(new JobView.Search(2, 2, List.of(), null)));
        job.trial(new JobView.Trial(2, Map.of("hidden_size", 8), 0.7, List.of(0.6, 0.8)));
        job.trial(new JobView.Trial(1, Map.of("hidden_size", 4), 0.5, List.of(0.4, 0.6)));
        job.epoch("trial 2/2 fold 2/2", new EpochStats(1, 1, 1, 1, 100, 0.1), 3);
        JobView during = job.epoch(JobView.TRAIN, new EpochStats(1, 0.9, 0.8, 0.8, 100, 0.1), 3);
        assertThat(during.progress().etaSeconds()).isPositive();
        job.epoch(JobView.TRAIN, new EpochStats(2, 0.7, 0.6, 0.6, 100, 0.1), 3);
        JobView done = job.finish(JobStatus.SUCCEEDED, null, null);
        assertThat(done.progress().phase()).isEqualTo("finished");
        assertThat(done.progress().etaSeconds()).isNull();
        assertThat(done.progress().epoch()).isEqualTo(2);

        List<String> events = new ArrayList<>();
        job.subscribe(new Job.Listener() {
            @Override
            public void progress(JobView.Progress progress) {
                events.add("progress " + progress.phase() + " " + progress.epoch());
            }

            @Override
            public void trial(JobView.Trial trial) {
                events.add("trial " + trial.index());
            }

            @Override
            public void status(JobView view) {
                events.add("status " + view.status());
            }
        });
        assertThat(events)
                .containsExactly("trial 1", "trial 2", "progress train 1", "progress train 2", "status succeeded");
    }

    private static JobView running(JobView.Search search) {
        return new JobView(
                "job_0123456789ab",
                "running",
                "m",
                "forecasting",
                "cpu",
                null,
                List.of(),
                search,
                null,
                null,
                Instant.now(),
                Instant.now(),
                null,
                null,
                null);
    }
}
