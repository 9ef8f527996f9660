package io.seqserve.training;

import io.seqserve.Failure;
import io.seqserve.Failure.FieldError;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.series.Timeline;
import io.seqserve.training.task.DataRef;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What Bean Validation cannot say about a {@link TrainingRequest}: rules across fields (the data source,
 * fields of the other task, which search axes apply) and limits from configuration. A 400 lists every
 * broken rule; a search grid over the configured maximum is 422.
 */
final class RequestRules {

    private final List<FieldError> errors = new ArrayList<>();

    private RequestRules() {}

    /** The request with its defaults, or a 400 (422 for a grid too large). */
    static TrainingRequest check(TrainingRequest raw, TrainingProperties properties) {
        RequestRules rules = new RequestRules();
        rules.otherTasksFields(raw);
        TrainingRequest request = raw.withDefaults();
        rules.require(
                "model_name",
                request.modelName() != null
                        && ModelRegistry.NAME.matcher(request.modelName()).matches(),
                "required; must match " + ModelRegistry.NAME.pattern());
        rules.dataset(request);
        int epochs = request.training().epochs();
        rules.require(
                "training.epochs",
                epochs <= properties.maxEpochs(),
                "must be in 1.." + properties.maxEpochs() + " (seqserve.training.max-epochs)");
        if (request.search() != null) {
            rules.search(request);
        }
        if (!rules.errors.isEmpty()) {
            String detail = rules.errors.stream()
                    .map(e -> e.field() + ": " + e.message())
                    .collect(Collectors.joining("; "));
            throw Failure.invalid(detail, rules.errors);
        }
        if (request.publish() != null && request.publish().withState() && attends(request)) {
            throw Failure.unprocessable(
                    "publish.stateful",
                    "a forecaster with attention cannot be published stateful: attention weighs every output of the"
                            + " window it reads, which a carried state cannot stand for (train without attention)");
        }
        if (request.search() != null && request.search().gridSize() > properties.maxGridSize()) {
            throw Failure.unprocessable(
                    "search",
                    "the grid has " + request.search().gridSize() + " combinations; at most " + properties.maxGridSize()
                            + " are allowed (seqserve.training.max-grid-size)");
        }
        return request;
    }

    /** Whether the trained network may have attention (the request's, or a value the search may choose). */
    private static boolean attends(TrainingRequest r) {
        boolean searched = r.search() != null
                && r.search().attention() != null
                && r.search().attention().contains(Boolean.TRUE);
        return Boolean.TRUE.equals(r.architecture().attention()) || searched;
    }

    /** A field of the other task is a mistake worth telling (it would be ignored). */
    private void otherTasksFields(TrainingRequest raw) {
        boolean text = TrainingRequest.TEXT.equals(raw.task());
        String message = "applies to " + (text ? "forecasting" : "text-generation") + " only";
        if (text) {
            require("window", raw.window() == null, message);
            require("horizon", raw.horizon() == null, message);
            require("season", raw.season() == null, message);
            require("calendar", raw.calendar() == null, message);
            require("frequency", raw.frequency() == null, message);
            require("id_features", raw.idFeatures() == null, message);
            require("loss_weights", raw.lossWeights() == null, message);
            require("evaluation_horizon", raw.evaluationHorizon() == null, message);
            require("publish", raw.publish() == null, message);
        } else {
            require("sequence_length", raw.sequenceLength() == null, message);
            require("embedding_size", raw.embeddingSize() == null, message);
        }
    }

    private void dataset(TrainingRequest r) {
        DataRef d = r.dataset();
        require("dataset", d.sources() == 1, "give exactly one of id, values or text");
        if (r.text()) {
            require(
                    "dataset",
                    d.values() == null && d.column() == null && d.columns() == null,
                    "a text task takes {\"id\"} of a text data set or {\"text\"}");
            require("dataset.targets", !d.byRole(), "targets and covariates apply to forecasting only");
        } else {
            require("dataset.text", d.text() == null, "a forecasting task takes a CSV data set or inline values");
            if (d.byRole()) {
                roles(r);
            } else if (d.id() != null) {
                require(
                        "dataset.column",
                        d.column() != null ^ d.columns() != null,
                        "give column or columns (not both)");
            }
            if (!d.byRole()) {
                String why = "needs the data's variables by role (dataset.targets, covariates, time_column, id_column)";
                require("calendar", r.calendar().isEmpty(), why);
                require("id_features", !r.idFeatures(), why);
                require(
                        "loss_weights",
                        r.lossWeights() == null || r.lossWeights().size() == 1,
                        why);
            }
        }
    }

    /** Variables by role: a CSV data set, targets named, what calendars and ids need. */
    private void roles(TrainingRequest r) {
        DataRef d = r.dataset();
        require("dataset.id", d.id() != null, "targets and covariates name columns of an uploaded CSV data set");
        require(
                "dataset.targets",
                d.targets() != null && !d.targets().isEmpty(),
                "name the column or columns to forecast");
        require(
                "dataset",
                d.column() == null && d.columns() == null && d.target() == null && d.targetIndex() == null,
                "give targets and covariates, or column / columns / target (not both)");
        require(
                "calendar",
                r.calendar().isEmpty() || d.timeColumn() != null,
                "calendar features are derived from dataset.time_column: name it");
        require(
                "frequency",
                r.frequency() == null || validFrequency(r.frequency()),
                "must be minute, hour, day, week, month, quarter, year or an ISO-8601 duration such as PT15M");
        require("id_features", !r.idFeatures() || d.idColumn() != null, "needs dataset.id_column");
        int targets = d.targets() == null ? 0 : d.targets().size();
        require(
                "loss_weights",
                r.lossWeights() == null || r.lossWeights().size() == targets,
                "must hold one weight per target (" + targets + ")");
    }

    private static boolean validFrequency(String frequency) {
        try {
            Timeline.step(frequency);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void search(TrainingRequest r) {
        TrainingRequest.Search q = r.search();
        require("search", !q.axes().isEmpty(), "give at least one list of values to try");
        require(
                "search",
                r.text() ? q.window() == null : q.sequenceLength() == null && q.embeddingSize() == null,
                "window applies to forecasting, sequence_length and embedding_size to text-generation");
    }

    private void require(String field, boolean ok, String message) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
    }
}
