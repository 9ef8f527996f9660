package io.seqserve.training;

import io.seqserve.Failure;
import io.seqserve.Failure.FieldError;
import io.seqserve.registry.ModelRegistry;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a job body into a {@link TrainingRequest} with defaults, or a 400 listing every bad field
 * (unknown fields included, so a typo is not silently ignored). A search grid over the configured
 * maximum is 422.
 */
final class RequestCheck {

    static final Set<String> CELLS = Set.of("rnn", "lstm", "gru");
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu[0-9]{1,2}");
    private static final JsonMapper STRICT = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final List<FieldError> errors = new ArrayList<>();

    private RequestCheck() {}

    static TrainingRequest parse(JsonNode body, TrainingProperties properties) {
        if (body == null || !body.isObject()) {
            throw Failure.badRequest("the body must be a JSON object");
        }
        TrainingRequest raw;
        try {
            raw = STRICT.treeToValue(body, TrainingRequest.class);
        } catch (JacksonException e) {
            String field = e.getPath().stream().map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw Failure.invalid(field.isEmpty() ? "body" : field, e.getOriginalMessage());
        }
        RequestCheck check = new RequestCheck();
        check.otherTasksFields(raw);
        TrainingRequest request = raw.withDefaults();
        check.check(request, properties);
        return request;
    }

    /** A field of the other task is a mistake worth telling (it would be ignored). */
    private void otherTasksFields(TrainingRequest raw) {
        boolean text = TrainingRequest.TEXT.equals(raw.task());
        String message = "applies to " + (text ? "forecasting" : "text-generation") + " only";
        if (text) {
            require("window", raw.window() == null, message);
            require("horizon", raw.horizon() == null, message);
            require("season", raw.season() == null, message);
        } else {
            require("sequence_length", raw.sequenceLength() == null, message);
            require("embedding_size", raw.embeddingSize() == null, message);
        }
    }

    private void check(TrainingRequest r, TrainingProperties properties) {
        require("model_name", r.modelName() != null && ModelRegistry.NAME.matcher(r.modelName()).matches(),
                "required; must match " + ModelRegistry.NAME.pattern());
        require("task", r.task().equals(TrainingRequest.FORECASTING) || r.text(), "must be forecasting or text-generation");
        require("device", DEVICE.matcher(r.device()).matches(), "must be auto, cpu, gpu or gpuN");
        checkDataset(r);
        if (r.text()) {
            range("sequence_length", r.sequenceLength(), 1, 100_000);
            range("embedding_size", r.embeddingSize(), 1, 4096);
        } else {
            range("window", r.window(), 1, 100_000);
            range("horizon", r.horizon(), 1, 10_000);
            range("season", r.season(), 1, 100_000);
        }
        TrainingRequest.Architecture a = r.architecture();
        require("architecture.cell", CELLS.contains(a.cell()), "unknown cell '" + a.cell() + "'; must be rnn, lstm or gru");
        range("architecture.hidden_size", a.hiddenSize(), 1, 4096);
        range("architecture.layers", a.layers(), 1, 16);
        require("architecture.dropout", a.dropout() >= 0 && a.dropout() < 1, "must be in [0, 1)");
        TrainingRequest.Settings s = r.training();
        range("training.epochs", s.epochs(), 1, properties.maxEpochs());
        range("training.batch_size", s.batchSize(), 1, 65_536);
        require("training.learning_rate", s.learningRate() > 0 && s.learningRate() <= 10, "must be > 0 and <= 10");
        require("training.validation_fraction", s.validationFraction() > 0 && s.validationFraction() <= 0.5, "must be in (0, 0.5]");
        require("training.test_fraction", s.testFraction() >= 0 && s.testFraction() <= 0.5, "must be in [0, 0.5]");
        range("training.early_stopping_patience", s.earlyStoppingPatience(), 0, 100_000);
        if (r.search() != null) {
            checkSearch(r, properties);
        }
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
            throw Failure.invalid(detail, errors);
        }
    }

    private void checkDataset(TrainingRequest r) {
        TrainingRequest.DatasetRef d = r.dataset();
        if (d == null) {
            errors.add(new FieldError("dataset", "required: {\"id\", ...} or inline " + (r.text() ? "{\"text\"}" : "{\"values\"}")));
            return;
        }
        int sources = (d.id() != null ? 1 : 0) + (d.values() != null ? 1 : 0) + (d.text() != null ? 1 : 0);
        require("dataset", sources == 1, "give exactly one of id, values or text");
        if (r.text()) {
            require("dataset", d.values() == null && d.column() == null && d.columns() == null,
                    "a text task takes {\"id\"} of a text data set or {\"text\"}");
            require("dataset.text", d.text() == null || !d.text().isEmpty(), "the text is empty");
        } else {
            require("dataset.text", d.text() == null, "a forecasting task takes a CSV data set or inline values");
            if (d.id() != null) {
                require("dataset.column", d.column() != null ^ d.columns() != null, "give column or columns (not both)");
                require("dataset.columns", d.columns() == null || !d.columns().isEmpty(), "must not be empty");
            }
            require("dataset.values", d.values() == null || d.values().isArray() && !d.values().isEmpty(),
                    "must be a non-empty list of numbers or of rows of numbers");
        }
    }

    private void checkSearch(TrainingRequest r, TrainingProperties properties) {
        TrainingRequest.Search q = r.search();
        range("search.folds", q.folds(), 2, 20);
        each("search.cell", q.cell(), CELLS::contains, "unknown cell; must be rnn, lstm or gru");
        each("search.hidden_size", q.hiddenSize(), v -> v >= 1 && v <= 4096, "must be in 1..4096");
        each("search.layers", q.layers(), v -> v >= 1 && v <= 16, "must be in 1..16");
        each("search.dropout", q.dropout(), v -> v >= 0 && v < 1, "must be in [0, 1)");
        each("search.batch_size", q.batchSize(), v -> v >= 1 && v <= 65_536, "must be in 1..65536");
        each("search.learning_rate", q.learningRate(), v -> v > 0 && v <= 10, "must be > 0 and <= 10");
        each("search.window", q.window(), v -> v >= 1 && v <= 100_000, "must be in 1..100000");
        each("search.sequence_length", q.sequenceLength(), v -> v >= 1 && v <= 100_000, "must be in 1..100000");
        each("search.embedding_size", q.embeddingSize(), v -> v >= 1 && v <= 4096, "must be in 1..4096");
        require("search", !Hyper.axes(q).isEmpty(), "give at least one list of values to try");
        require("search", r.text() ? q.window() == null : q.sequenceLength() == null && q.embeddingSize() == null,
                "window applies to forecasting, sequence_length and embedding_size to text-generation");
        if (errors.isEmpty()) {
            long size = gridSize(q);
            if (size > properties.maxGridSize()) {
                throw Failure.unprocessable("search", "the grid has " + size + " combinations; at most "
                        + properties.maxGridSize() + " are allowed (seqserve.training.max-grid-size)");
            }
        }
    }

    private static long gridSize(TrainingRequest.Search q) {
        try {
            return Hyper.gridSize(q);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private <T> void each(String field, List<T> values, Predicate<T> valid, String message) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            require(field + "[" + i + "]", values.get(i) != null && valid.test(values.get(i)), message);
        }
    }

    private void range(String field, Integer value, int min, int max) {
        require(field, value != null && value >= min && value <= max, "must be in " + min + ".." + max);
    }

    private void require(String field, boolean ok, String message) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
    }
}
