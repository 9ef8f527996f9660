package io.seqserve.training;

import io.seqserve.training.nn.EpochStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The live state of one training job. Every change goes through a synchronized method that returns the
 * new {@link JobView} (to persist) and tells the job's listeners, so a subscriber that joins late gets
 * the trials and history replayed and then every later event, with none lost or doubled. Listeners are
 * called under the job's lock, so they only hand events on (an SSE channel queues them): a slow client
 * never holds up the training thread.
 */
final class Job {

    /** Receives a job's events; {@link #status} is the last call. */
    interface Listener {
        void progress(JobView.Progress progress);

        void trial(JobView.Trial trial);

        void status(JobView job);
    }

    private final String id;
    private final String modelName;
    private final String task;
    private final String device;
    private final Instant createdAt;
    private final String idempotencyKey;
    private final TrainingRequest request;
    private JobStatus status;
    private JobView.Progress progress;
    private final List<EpochStats> history = new ArrayList<>();
    private JobView.Search search;
    private JobView.Result result;
    private String error;
    private Instant startedAt;
    private Instant finishedAt;
    private final List<Listener> listeners = new ArrayList<>();
    private volatile boolean cancelRequested;

    /** A new job: {@code parsed} is {@code request} with its defaults. */
    Job(
            String id,
            TrainingRequest parsed,
            String device,
            String idempotencyKey,
            TrainingRequest request,
            Instant createdAt) {
        this(new JobView(
                id,
                JobStatus.QUEUED.id(),
                parsed.modelName(),
                parsed.task(),
                device,
                null,
                List.of(),
                parsed.search() == null
                        ? null
                        : new JobView.Search(
                                parsed.search().folds(), (int) parsed.search().gridSize(), List.of(), null),
                null,
                null,
                createdAt,
                null,
                null,
                idempotencyKey,
                request));
    }

    /** A job as it was stored. */
    Job(JobView view) {
        this.id = view.id();
        this.modelName = view.modelName();
        this.task = view.task();
        this.device = view.device();
        this.createdAt = view.createdAt();
        this.idempotencyKey = view.idempotencyKey();
        this.request = view.request();
        this.status = JobStatus.parse(view.status());
        this.progress = view.progress();
        if (view.history() != null) {
            history.addAll(view.history());
        }
        this.search = view.search();
        this.result = view.result();
        this.error = view.error();
        this.startedAt = view.startedAt();
        this.finishedAt = view.finishedAt();
    }

    String id() {
        return id;
    }

    String device() {
        return device;
    }

    String modelName() {
        return modelName;
    }

    String task() {
        return task;
    }

    TrainingRequest request() {
        return request;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }

    Instant createdAt() {
        return createdAt;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    synchronized JobStatus status() {
        return status;
    }

    synchronized JobView view() {
        return new JobView(
                id,
                status.id(),
                modelName,
                task,
                device,
                progress,
                List.copyOf(history),
                search,
                result,
                error,
                createdAt,
                startedAt,
                finishedAt,
                idempotencyKey,
                request);
    }

    /** Marks the job running; a resumed job keeps its first start time. */
    synchronized JobView start() {
        status = JobStatus.RUNNING;
        if (startedAt == null) {
            startedAt = Instant.now();
        }
        return view();
    }

    /** One epoch done; the final phase's epochs go into the history. */
    synchronized JobView epoch(String phase, EpochStats stats, int epochs) {
        double eta = (epochs - stats.epoch()) * stats.durationSeconds();
        progress = new JobView.Progress(
                phase,
                stats.epoch(),
                epochs,
                stats.trainLoss(),
                stats.valLoss(),
                stats.bestValLoss(),
                stats.samplesPerSecond(),
                eta);
        if (phase.equals(JobView.TRAIN)) {
            history.add(stats);
        }
        tell(l -> l.progress(progress));
        return view();
    }

    /** Restarting the final phase from a checkpoint: the history is the checkpoint's. */
    synchronized void resumeHistory(List<EpochStats> restored) {
        history.clear();
        history.addAll(restored);
    }

    synchronized boolean hasTrial(int index) {
        return search != null && search.trials().stream().anyMatch(t -> t.index() == index);
    }

    synchronized JobView trial(JobView.Trial trial) {
        List<JobView.Trial> trials = new ArrayList<>(search.trials());
        trials.add(trial);
        trials.sort(Comparator.comparingInt(JobView.Trial::index));
        search = new JobView.Search(search.folds(), search.gridSize(), trials, search.best());
        tell(l -> l.trial(trial));
        return view();
    }

    /** The best trial (lowest score, the earlier one on a tie), now recorded as the search's winner. */
    synchronized Map<String, Object> chooseBest() {
        JobView.Trial best = search.trials().stream()
                .min(Comparator.comparingDouble(JobView.Trial::score).thenComparingInt(JobView.Trial::index))
                .orElseThrow();
        search = new JobView.Search(search.folds(), search.gridSize(), search.trials(), best.params());
        return best.params();
    }

    synchronized JobView finish(JobStatus outcome, JobView.Result result, String error) {
        this.status = outcome;
        this.result = result;
        this.error = error;
        this.finishedAt = Instant.now();
        if (progress != null) {
            progress = progress.finished();
        }
        JobView view = view();
        tell(l -> l.status(view));
        listeners.clear();
        return view;
    }

    /** A job stopped by a shutdown waits to be resumed on the next start. */
    synchronized JobView requeue() {
        status = JobStatus.QUEUED;
        if (progress != null) {
            progress = progress.paused();
        }
        return view();
    }

    void requestCancel() {
        cancelRequested = true;
    }

    /** Replays the scored trials and the history (and the end, when the job has ended), then follows the job. */
    synchronized void subscribe(Listener listener) {
        if (search != null) {
            search.trials().forEach(listener::trial);
        }
        for (EpochStats e : history) {
            listener.progress(new JobView.Progress(
                    JobView.TRAIN,
                    e.epoch(),
                    progress == null ? e.epoch() : progress.epochs(),
                    e.trainLoss(),
                    e.valLoss(),
                    e.bestValLoss(),
                    e.samplesPerSecond(),
                    null));
        }
        if (status.terminal()) {
            listener.status(view());
        } else {
            listeners.add(listener);
        }
    }

    synchronized void unsubscribe(Listener listener) {
        listeners.remove(listener);
    }

    private void tell(java.util.function.Consumer<Listener> event) {
        for (Listener listener : List.copyOf(listeners)) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                listeners.remove(listener);
            }
        }
    }
}
