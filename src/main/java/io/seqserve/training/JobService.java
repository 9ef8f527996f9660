package io.seqserve.training;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.training.data.DurableWriter;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.task.LearningTask;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Training jobs: submission (validated against the data before anything is queued, idempotent per
 * {@code Idempotency-Key}), queries, cancellation and event subscriptions. On start it reloads every
 * job record and queues again the jobs that were queued or running when the server stopped or died;
 * on shutdown it has running jobs checkpoint and stop, to resume on the next start.
 */
@Service
class JobService implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final TrainingProperties properties;
    private final JobStore store;
    private final DatasetStore datasets;
    private final JobExecutors executors;
    private final TrainingPipeline pipeline;
    private final DurableWriter writer;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> byKey = new ConcurrentHashMap<>();
    private volatile boolean running;

    JobService(
            TrainingProperties properties,
            JobStore store,
            DatasetStore datasets,
            JobExecutors executors,
            TrainingPipeline pipeline,
            DurableWriter writer,
            TrainingMetrics metrics) {
        this.properties = properties;
        this.store = store;
        this.datasets = datasets;
        this.executors = executors;
        this.pipeline = pipeline;
        this.writer = writer;
        metrics.bindJobs(jobs::values);
    }

    /** A submission's answer: the job, and whether this call created it (false: an idempotent repeat). */
    record Submission(JobView job, boolean created) {}

    /** Queues a job for a bound and field-checked request, or answers the job an idempotent repeat refers to. */
    Submission submit(TrainingRequest body, String idempotencyKey) {
        if (idempotencyKey == null) {
            return new Submission(create(body, null), true);
        }
        if (!KEY.matcher(idempotencyKey).matches()) {
            throw Failure.invalid("Idempotency-Key", "1-255 visible ASCII characters");
        }
        synchronized (byKey) {
            String existing = byKey.get(idempotencyKey);
            if (existing != null) {
                Job job = jobs.get(existing);
                if (!job.request().equals(body)) {
                    throw Failure.unprocessable(
                            "Idempotency-Key", "was already used for job " + existing + " with a different body");
                }
                return new Submission(job.view(), false);
            }
            JobView created = create(body, idempotencyKey);
            byKey.put(idempotencyKey, created.id());
            return new Submission(created, true);
        }
    }

    private JobView create(TrainingRequest body, String idempotencyKey) {
        TrainingRequest request = RequestRules.check(body, properties);
        LearningTask task = LearningTask.create(request.taskSpec(properties.maxMissingFraction()), datasets);
        int folds = request.search() == null ? 0 : request.search().folds();
        task.check(request.hyper(), folds);
        if (request.search() != null) {
            request.search().grid().forEach(trial -> task.check(request.hyper().with(trial), folds));
        }
        String device = executors.resolve(request.device());
        long queued = jobs.values().stream()
                .filter(j -> j.status() == JobStatus.QUEUED)
                .count();
        if (queued >= properties.maxQueuedJobs()) {
            throw Failure.capacity(
                    queued + " training jobs are already queued " + "(seqserve.training.max-queued-jobs); retry later",
                    30);
        }
        String id = "job_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Job job = new Job(id, request, device, idempotencyKey, body, Instant.now());
        store.save(job.view());
        jobs.put(id, job);
        executors.submit(device, () -> execute(job));
        return job.view();
    }

    JobView get(String id) {
        return job(id).view();
    }

    List<JobView> list(String status) {
        JobStatus filter = null;
        if (status != null) {
            try {
                filter = JobStatus.parse(status);
            } catch (IllegalArgumentException e) {
                throw Failure.invalid("status", "must be one of queued, running, succeeded, failed, cancelled");
            }
        }
        JobStatus wanted = filter;
        return jobs.values().stream()
                .filter(j -> wanted == null || j.status() == wanted)
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::id))
                .map(Job::view)
                .toList();
    }

    /** Cancels a queued job at once and a running one at its next batch (waiting briefly for it to stop). */
    JobView cancel(String id) {
        Job job = job(id);
        synchronized (job) {
            JobStatus status = job.status();
            if (status.terminal()) {
                throw Failure.conflict("job " + id + " has already " + status.id());
            }
            job.requestCancel();
            if (status == JobStatus.QUEUED) {
                store.save(job.finish(JobStatus.CANCELLED, null, null));
            }
        }
        long until = System.nanoTime() + 5_000_000_000L;
        while (!job.status().terminal() && System.nanoTime() < until) {
            sleep(20);
        }
        return job.view();
    }

    void subscribe(String id, Job.Listener listener) {
        job(id).subscribe(listener);
    }

    void unsubscribe(String id, Job.Listener listener) {
        job(id).unsubscribe(listener);
    }

    private Job job(String id) {
        Job job = id == null ? null : jobs.get(id);
        if (job == null) {
            throw Failure.notFound("no training job with id '" + id + "'");
        }
        return job;
    }

    private void execute(Job job) {
        synchronized (job) {
            if (job.cancelRequested() || job.status().terminal()) {
                return;
            }
            store.save(job.start());
        }
        log.info("training job {} ({} '{}') running on {}", job.id(), job.task(), job.modelName(), job.device());
        try {
            JobView.Result result = pipeline.run(job);
            store.save(job.finish(JobStatus.SUCCEEDED, result, null));
            log.info("training job {} succeeded: {} version {}", job.id(), result.model(), result.version());
        } catch (EpochLoop.Interrupted e) {
            if (e.cancelled()) {
                store.discardCheckpoints(job.id());
                store.save(job.finish(JobStatus.CANCELLED, null, null));
                log.info("training job {} cancelled", job.id());
            } else {
                store.save(job.requeue());
                log.info("training job {} checkpointed and stopped; it resumes on the next start", job.id());
            }
        } catch (Failure e) {
            store.discardCheckpoints(job.id());
            store.save(job.finish(JobStatus.FAILED, null, e.getMessage()));
            log.warn("training job {} failed: {}", job.id(), e.getMessage());
        } catch (RuntimeException | Error e) {
            store.discardCheckpoints(job.id());
            store.save(job.finish(JobStatus.FAILED, null, Throwables.rootMessage(e)));
            log.warn("training job {} failed", job.id(), e);
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    @Override
    public void start() {
        List<JobView> stored = store.loadAll().stream()
                .sorted(Comparator.comparing(JobView::createdAt))
                .toList();
        for (JobView view : stored) {
            Job job = new Job(view);
            jobs.put(job.id(), job);
            if (job.idempotencyKey() != null) {
                byKey.put(job.idempotencyKey(), job.id());
            }
            if (!job.status().terminal()) {
                store.save(job.requeue());
                executors.submit(job.device(), () -> execute(job));
                log.info("training job {} was {} when the server stopped; queued to resume", job.id(), view.status());
            }
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        executors.stop(properties.stopTimeout());
        writer.close();
    }

    /**
     * Test contexts are paused between classes (Spring 7); stop() is the server's shutdown (executors and the
     * writer close for good), so a paused and restarted context would refuse every later job with a 500.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the model registry starts (jobs publish into it), stopped before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1536;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
