package io.seqserve.registry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seqserve.Failure;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The models in memory by name. {@link VersionManager} alone adds and removes them (under its lock);
 * lookups read without a lock. Publishes the version-state and in-flight gauges.
 */
@Component
class ModelCatalog {

    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();

    ModelCatalog(MeterRegistry meters) {
        for (ModelState state : ModelState.values()) {
            Gauge.builder(
                            "seqserve.model.versions",
                            () -> versions().filter(v -> v.state() == state).count())
                    .description("Model versions by lifecycle state")
                    .tag("state", state.id())
                    .register(meters);
        }
        Gauge.builder(
                        "seqserve.inflight.requests",
                        () -> versions().mapToLong(ModelVersion::openLeases).sum())
                .description("Requests holding a model version right now")
                .register(meters);
    }

    ServedModel model(String name) {
        return find(name).orElseThrow(() -> Failure.of(Failure.Code.MODEL_NOT_FOUND, "no model named '" + name + "'"));
    }

    Optional<ServedModel> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    Collection<String> names() {
        return new TreeMap<>(models).keySet();
    }

    List<ServedModel> models() {
        return List.copyOf(models.values());
    }

    Stream<ModelVersion> versions() {
        return models.values().stream().flatMap(m -> m.versions.values().stream());
    }

    ServedModel getOrCreate(String name) {
        return models.computeIfAbsent(name, ServedModel::new);
    }

    void remove(String name) {
        models.remove(name);
    }

    /** The engines the versions in memory (every version on disk) need. */
    Set<String> engines() {
        return versions()
                .map(ModelVersion::engine)
                .filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** "m/1 (available), m/2 (failed)", for the log. */
    String describe() {
        List<String> parts = versions().map(ModelVersion::toString).toList();
        return parts.isEmpty() ? "no models" : String.join(", ", parts);
    }
}
