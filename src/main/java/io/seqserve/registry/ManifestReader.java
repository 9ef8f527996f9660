package io.seqserve.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** Reads and validates a version's manifest; unknown keys and bad values are errors, not ignored. */
public final class ManifestReader {

    public static final String YAML_NAME = "seqserve.yaml";
    public static final String JSON_NAME = "seqserve.json";
    private static final Set<String> TASKS = Set.of("forecasting", "text-generation", "generic");
    private static final Set<String> DTYPES =
            Set.of("float32", "float64", "float16", "int64", "int32", "int8", "uint8", "boolean");
    private static final Pattern DEVICE = Pattern.compile("cpu|gpu[0-9]{1,2}");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private ManifestReader() {}

    /** The manifest of a version directory, {@link Manifest#EMPTY} when there is none. */
    public static Manifest read(Path versionDir) throws InvalidManifestException {
        Path yaml = versionDir.resolve(YAML_NAME);
        Path json = versionDir.resolve(JSON_NAME);
        try {
            if (Files.isRegularFile(yaml)) {
                return parse(Files.readString(yaml), true);
            }
            if (Files.isRegularFile(json)) {
                return parse(Files.readString(json), false);
            }
        } catch (IOException e) {
            throw new InvalidManifestException("cannot read the manifest: " + e.getMessage());
        }
        return Manifest.EMPTY;
    }

    /** Parses manifest text (YAML is a superset of JSON, so either form is accepted as YAML). */
    public static Manifest parse(String text, boolean yaml) throws InvalidManifestException {
        if (text.isBlank()) {
            return Manifest.EMPTY; // every field is optional, so an empty file is the empty manifest
        }
        Manifest manifest;
        try {
            manifest = (yaml ? YAML : JSON).readValue(text, Manifest.class);
        } catch (JacksonException e) {
            throw new InvalidManifestException("invalid manifest: " + e.getOriginalMessage());
        }
        if (manifest == null) {
            return Manifest.EMPTY;
        }
        validate(manifest);
        return manifest;
    }

    /** The manifest as YAML text, as it is written beside a version (unset fields left out). */
    public static String toYaml(Manifest manifest) {
        return YAML.writeValueAsString(manifest);
    }

    /** The manifest as JSON text, for versions whose manifest is {@code seqserve.json}. */
    public static String toJson(Manifest manifest) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest);
    }

    private static void validate(Manifest m) throws InvalidManifestException {
        List<String> problems = new ArrayList<>();
        if (m.format() != null && ModelFormat.parse(m.format()).isEmpty()) {
            problems.add("format must be one of savedmodel, torchscript, onnx, djl");
        }
        if (m.task() != null && !TASKS.contains(m.task())) {
            problems.add("task must be one of " + TASKS);
        }
        checkTensors("inputs", m.inputs(), problems);
        checkTensors("outputs", m.outputs(), problems);
        if (m.batching() != null) {
            Manifest.Batching b = m.batching();
            if (b.maxBatchSize() != null && (b.maxBatchSize() < 1 || b.maxBatchSize() > 4096)) {
                problems.add("batching.max_batch_size must be in 1..4096");
            }
            if (b.maxDelayMs() != null && (b.maxDelayMs() < 0 || b.maxDelayMs() > 10_000)) {
                problems.add("batching.max_delay_ms must be in 0..10000");
            }
            if (b.queueCapacity() != null && (b.queueCapacity() < 1 || b.queueCapacity() > 1_000_000)) {
                problems.add("batching.queue_capacity must be in 1..1000000");
            }
        }
        if (m.workers() != null) {
            for (Map.Entry<String, Integer> e : m.workers().entrySet()) {
                if (!DEVICE.matcher(e.getKey()).matches()) {
                    problems.add("workers: unknown device '" + e.getKey() + "' (cpu, gpu0, gpu1, ...)");
                } else if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 64) {
                    problems.add("workers." + e.getKey() + " must be in 0..64");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidManifestException("invalid manifest: " + String.join("; ", problems));
        }
    }

    private static void checkTensors(String field, List<Manifest.TensorDecl> tensors, List<String> problems) {
        if (tensors == null) {
            return;
        }
        for (int i = 0; i < tensors.size(); i++) {
            Manifest.TensorDecl t = tensors.get(i);
            if (t.name() == null || t.name().isBlank()) {
                problems.add(field + "[" + i + "].name is required");
            }
            if (t.dtype() != null && !DTYPES.contains(t.dtype())) {
                problems.add(field + "[" + i + "].dtype must be one of " + DTYPES);
            }
            if (t.shape() != null && t.shape().stream().anyMatch(d -> d == null || d == 0 || d < -1)) {
                problems.add(field + "[" + i + "].shape dimensions must be positive or -1");
            }
        }
    }

    /** A manifest that cannot be used; the version fails to load with this message. */
    public static final class InvalidManifestException extends Exception {
        public InvalidManifestException(String message) {
            super(message);
        }

        public Failure asApiException() {
            return Failure.badRequest(getMessage());
        }
    }
}
