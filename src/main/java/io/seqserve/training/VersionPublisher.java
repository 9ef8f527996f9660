package io.seqserve.training;

import ai.djl.Device;
import io.seqserve.accuracy.AccuracyProperties;
import io.seqserve.accuracy.Promotions;
import io.seqserve.registry.ManifestReader;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelVersion;
import io.seqserve.training.data.Json;
import io.seqserve.training.nn.EpochLoop;
import io.seqserve.training.nn.ForecasterNetwork;
import io.seqserve.training.nn.Network;
import io.seqserve.training.nn.TrainedModel;
import io.seqserve.training.task.DataRef;
import io.seqserve.training.task.Hyper;
import io.seqserve.training.task.LearningTask;
import io.seqserve.training.task.Splits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Turns a finished training run into the next version of its model: {@code model-0000.params} (the
 * best epoch's parameters, DJL format), {@code seqserve.yaml} (format djl, task, signature, the task's
 * block, architecture, how it was trained, metrics) and {@code history.json}, staged on the models
 * volume and published with {@link ModelRegistry#register}, which loads it before it counts. With
 * {@code publish.promote_if_better} the version the bare name serves is pinned with the {@code production} label
 * first (so the new one does not take over by being newest), and the new one is proposed to the promotion gate:
 * it shadows production until it has {@code min_points} scored actuals, and is promoted only if it wins.
 */
@Component
class VersionPublisher {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    private final ModelRegistry registry;
    private final Promotions promotions;
    private final AccuracyProperties accuracy;

    VersionPublisher(ModelRegistry registry, Promotions promotions, AccuracyProperties accuracy) {
        this.registry = registry;
        this.promotions = promotions;
        this.accuracy = accuracy;
    }

    /** The published version and, through the gate, its pending promotion (null: none, or nothing to beat). */
    record Published(ModelVersion version, Promotions.Pending promotion) {}

    /** What a finished run hands over. */
    record Run(
            Job job,
            TrainingRequest request,
            Network network,
            Hyper hyper,
            EpochLoop.Fitted fitted,
            LearningTask.Report report,
            Splits splits,
            Device device) {}

    Published publish(Run run) {
        Publish publish = run.request().publish();
        boolean gated = publish != null && publish.gated();
        String name = run.request().modelName();
        if (gated) {
            promotions.pinProduction(name);
        }
        ModelVersion version = register(run);
        if (!gated) {
            return new Published(version, null);
        }
        int minPoints = publish.minPoints() != null ? publish.minPoints() : accuracy.minPoints();
        return new Published(
                version,
                promotions.propose(
                        name,
                        version.version(),
                        minPoints,
                        "training job " + run.job().id()));
    }

    private ModelVersion register(Run run) {
        Path staged = registry.stagingDir();
        try {
            try (TrainedModel model =
                    new TrainedModel(run.network(), run.fitted().bestParams(), run.device())) {
                model.save(staged);
            }
            String manifest = YAML.writeValueAsString(manifest(run));
            ManifestReader.parse(manifest, true);
            Files.writeString(staged.resolve(ManifestReader.YAML_NAME), manifest);
            Files.writeString(
                    staged.resolve("history.json"),
                    Json.FILES.writerWithDefaultPrettyPrinter().writeValueAsString(history(run)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the trained model", e);
        } catch (ManifestReader.InvalidManifestException e) {
            throw new IllegalStateException("the trainer wrote a manifest the registry refuses: " + e.getMessage(), e);
        }
        return registry.register(run.request().modelName(), staged);
    }

    private static Map<String, Object> manifest(Run run) {
        TrainingRequest r = run.request();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "djl");
        m.put("task", r.task());
        m.put("description", r.description() != null ? r.description() : describe(run));
        if (r.publish() != null && r.publish().withState() && run.network() instanceof ForecasterNetwork f) {
            m.put("inputs", f.statefulInputDecls());
            m.put("outputs", f.statefulOutputDecls());
            m.put("state", Map.of("inputs", f.stateNames(), "outputs", f.stateNames()));
        } else {
            m.put("inputs", run.network().inputDecls());
            m.put("outputs", run.network().outputDecls());
        }
        m.put(r.text() ? "text_generation" : "forecasting", run.report().block());
        m.put("architecture", run.network().architecture());
        m.put("training", training(run));
        m.put("metrics", run.report().metrics());
        return m;
    }

    private static String describe(Run run) {
        Hyper h = run.hyper();
        String what = run.request().text() ? "character language model" : "forecaster";
        return h.cell().toUpperCase() + "(" + h.hiddenSize() + ") x" + h.layers() + " " + what
                + " trained by seqserve job " + run.job().id();
    }

    private static Map<String, Object> training(Run run) {
        TrainingRequest r = run.request();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("job_id", run.job().id());
        t.put("dataset", dataset(r.dataset()));
        t.put("splits", run.splits());
        t.put("seed", r.training().seed());
        t.put("epochs", r.training().epochs());
        t.put("epochs_trained", run.fitted().history().size());
        t.put("best_epoch", run.fitted().bestEpoch());
        t.put("batch_size", run.hyper().batchSize());
        t.put("learning_rate", run.hyper().learningRate());
        t.put("optimizer", "adam");
        t.put("loss", r.text() ? "cross_entropy" : "mse");
        t.put("validation_fraction", r.training().validationFraction());
        t.put("test_fraction", r.training().testFraction());
        t.put("early_stopping_patience", r.training().earlyStoppingPatience());
        if (r.text()) {
            t.put("sequence_length", run.hyper().sequenceLength());
        } else {
            t.put("horizon", r.horizon());
            t.put("season", r.season());
            t.put("evaluation_horizon", r.evaluationHorizon());
            if (!r.calendar().isEmpty()) {
                t.put("calendar", r.calendar());
            }
            if (r.lossWeights() != null) {
                t.put("loss_weights", r.lossWeights());
            }
        }
        return t;
    }

    private static Map<String, Object> dataset(DataRef ref) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (ref.id() != null) {
            d.put("id", ref.id());
            if (ref.column() != null) {
                d.put("column", ref.column());
            }
            if (ref.columns() != null) {
                d.put("columns", ref.columns());
                d.put(
                        "target",
                        ref.target() != null ? ref.target() : ref.columns().get(0));
            }
            putIf(d, "targets", ref.targets());
            putIf(d, "past_covariates", ref.pastCovariates());
            putIf(d, "future_covariates", ref.futureCovariates());
            putIf(d, "time_column", ref.timeColumn());
            putIf(d, "id_column", ref.idColumn());
        } else {
            d.put("inline", ref.text() != null ? "text" : "values");
        }
        return d;
    }

    private static void putIf(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Map<String, Object> history(Run run) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("job_id", run.job().id());
        h.put("hyperparameters", run.hyper());
        h.put("best_epoch", run.fitted().bestEpoch());
        h.put("history", run.fitted().history());
        JobView.Search search = run.job().view().search();
        h.put("search", search == null ? List.of() : search);
        return h;
    }
}
