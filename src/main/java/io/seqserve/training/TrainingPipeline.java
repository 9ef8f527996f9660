package io.seqserve.training;

import ai.djl.Device;
import io.seqserve.registry.ModelVersion;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.EpochStats;
import io.seqserve.training.task.ForecastReport;
import io.seqserve.training.task.Hyper;
import io.seqserve.training.task.LearningTask;
import io.seqserve.training.task.Prepared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs one job from its stored request: the search trials not yet scored (each by rolling-origin
 * cross-validation on the training part), then the final model from its newest checkpoint (or from
 * scratch), its report, and its publication as a model version.
 */
@Component
class TrainingPipeline {

    private final DatasetStore datasets;
    private final JobStore store;
    private final VersionPublisher publisher;
    private final TrainingMetrics metrics;
    private final TrainingProperties properties;
    private final JobExecutors executors;

    TrainingPipeline(
            DatasetStore datasets,
            JobStore store,
            VersionPublisher publisher,
            TrainingMetrics metrics,
            TrainingProperties properties,
            JobExecutors executors) {
        this.datasets = datasets;
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
        this.properties = properties;
        this.executors = executors;
    }

    JobView.Result run(Job job) {
        TrainingRequest request = job.request().withDefaults();
        LearningTask task = LearningTask.create(request.taskSpec(properties.maxMissingFraction()), datasets);
        Device device = JobExecutors.device(job.device());
        Hyper hyper = request.search() == null ? request.hyper() : search(job, request, task, device);
        task.check(hyper, 0);
        Prepared prepared = task.prepare(hyper, task.trainEnd(), task.valEnd());
        EpochLoop.State resume = store.checkpoint(job.id()).orElse(null);
        if (resume != null) {
            job.resumeHistory(resume.history());
        }
        EpochLoop.Fitted fitted = EpochLoop.fit(
                spec(request, task, hyper, prepared, device), new Control(job, JobView.TRAIN, true), resume);
        if (job.cancelRequested()) {
            throw new EpochLoop.Interrupted(true);
        }
        LearningTask.Report report = task.report(hyper, prepared, fitted, device);
        VersionPublisher.Published published = publisher.publish(new VersionPublisher.Run(
                job, request, task.network(hyper), hyper, fitted, report, task.splits(), device));
        store.discardCheckpoints(job.id());
        ModelVersion version = published.version();
        return new JobView.Result(
                version.name(), version.version(), report.metrics(), task.splits(), published.promotion());
    }

    private Hyper search(Job job, TrainingRequest request, LearningTask task, Device device) {
        List<Map<String, Object>> grid = request.search().grid();
        int folds = request.search().folds();
        int[][] ends = LearningTask.folds(task.trainEnd(), folds);
        for (int i = 0; i < grid.size(); i++) {
            if (job.hasTrial(i + 1)) {
                continue;
            }
            Hyper hyper = request.hyper().with(grid.get(i));
            List<Double> scores = new ArrayList<>();
            for (int k = 0; k < folds; k++) {
                Prepared prepared = task.prepare(hyper, ends[k][0], ends[k][1]);
                String phase = "trial " + (i + 1) + "/" + grid.size() + " fold " + (k + 1) + "/" + folds;
                EpochLoop.Fitted fitted = EpochLoop.fit(
                        spec(request, task, hyper, prepared, device), new Control(job, phase, false), null);
                scores.add(ForecastReport.round(task.score(prepared, fitted)));
            }
            double mean =
                    scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            store.save(job.trial(new JobView.Trial(i + 1, grid.get(i), ForecastReport.round(mean), scores)));
        }
        Hyper best = request.hyper().with(job.chooseBest());
        store.save(job.view());
        return best;
    }

    private static EpochLoop.Spec spec(
            TrainingRequest request, LearningTask task, Hyper hyper, Prepared prepared, Device device) {
        TrainingRequest.Settings s = request.training();
        return new EpochLoop.Spec(
                task.network(hyper),
                hyper.batchSize(),
                hyper.learningRate(),
                s.epochs(),
                s.earlyStoppingPatience(),
                s.seed(),
                prepared.train(),
                prepared.val(),
                device);
    }

    /** Connects the loop to its job: progress, events, metrics, persistence and (final phase) checkpoints. */
    private final class Control implements EpochLoop.Control {
        private final Job job;
        private final String phase;
        private final boolean checkpointing;

        Control(Job job, String phase, boolean checkpointing) {
            this.job = job;
            this.phase = phase;
            this.checkpointing = checkpointing;
        }

        @Override
        public boolean cancelled() {
            return job.cancelRequested();
        }

        @Override
        public boolean stopping() {
            return executors.stopping();
        }

        @Override
        public void epoch(EpochStats stats, int epochs, EpochLoop.State checkpoint) {
            if (checkpointing) {
                store.checkpointLater(job.id(), checkpoint);
            }
            metrics.epoch(job.modelName(), job.task(), stats);
            store.saveLater(job.epoch(phase, stats, epochs));
        }

        @Override
        public void stopped(EpochLoop.State checkpoint) {
            if (checkpointing) {
                store.checkpointNow(job.id(), checkpoint);
            }
        }
    }
}
