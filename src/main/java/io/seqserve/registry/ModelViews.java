package io.seqserve.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.seqserve.runtime.TensorSpec;
import io.seqserve.runtime.WorkerPool;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the {@code /v1/models} endpoints answer. */
final class ModelViews {

    private ModelViews() {}

    record ModelList(List<ModelSummary> models) {}

    /** {@code aliases} repeats {@code labels} under the name API v1 first gave it; kept for existing clients. */
    record ModelSummary(
            String name, List<VersionSummary> versions, Map<String, Long> labels, Map<String, Long> aliases) {}

    record VersionSummary(long version, String state, String format, String task, String error, FailureView failure) {}

    /**
     * Why a failed version failed: {@code class} {@code model} (its own files or manifest; permanent) or
     * {@code environment} (this server: an engine down, out of memory, natives not loadable; requests get 503).
     */
    record FailureView(@JsonProperty("class") String failureClass, String reason) {

        static FailureView of(ModelVersion v) {
            LoadFailure f = v.loadFailure();
            return f == null ? null : new FailureView(f.fault().id(), f.reason());
        }
    }

    record Tensor(String name, String dtype, long[] shape) {}

    record Workers(
            String device,
            int workers,
            int busy,
            int queueDepth,
            int maxBatchSize,
            long maxDelayMs,
            int queueCapacity) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record VersionDetail(
            String name,
            long version,
            String state,
            String format,
            String engine,
            String task,
            List<String> devices,
            List<Tensor> inputs,
            List<Tensor> outputs,
            Manifest manifest,
            Map<String, Object> metrics,
            Instant createdAt,
            String error,
            FailureView failure,
            List<String> warnings,
            Long loadTimeMs,
            List<String> labels,
            List<Workers> workers) {}

    static ModelSummary summary(String name, List<ModelVersion> versions, Map<String, Long> labels) {
        return new ModelSummary(
                name,
                versions.stream()
                        .map(v -> new VersionSummary(
                                v.version(),
                                v.state().id(),
                                v.format() == null ? null : v.format().id(),
                                v.task(),
                                v.error(),
                                FailureView.of(v)))
                        .toList(),
                labels,
                labels);
    }

    static VersionDetail detail(ModelVersion v, Map<String, Long> labels) {
        LoadedModel loaded = v.loaded();
        List<WorkerPool> pools = loaded == null ? List.of() : loaded.pools();
        Signature signature = v.signature();
        return new VersionDetail(
                v.name(),
                v.version(),
                v.state().id(),
                v.format() == null ? null : v.format().id(),
                v.format() == null ? v.engine() : v.format().engine(),
                v.task(),
                pools.stream().map(p -> p.device().toString()).toList(),
                signature == null ? List.of() : tensors(signature.inputs()),
                signature == null ? List.of() : tensors(signature.outputs()),
                v.manifest(),
                v.manifest().metrics() == null ? Map.of() : v.manifest().metrics(),
                v.createdAt(),
                v.error(),
                FailureView.of(v),
                v.warnings(),
                v.loadTime() == null ? null : v.loadTime().toMillis(),
                labels.entrySet().stream()
                        .filter(e -> e.getValue() == v.version())
                        .map(Map.Entry::getKey)
                        .sorted()
                        .toList(),
                pools.stream()
                        .map(p -> new Workers(
                                p.device().toString(),
                                p.workers(),
                                p.busyWorkers(),
                                p.queueDepth(),
                                p.policy().maxBatchSize(),
                                p.policy().maxDelay().toMillis(),
                                p.policy().queueCapacity()))
                        .toList());
    }

    private static List<Tensor> tensors(List<TensorSpec> specs) {
        return specs.stream()
                .map(s -> new Tensor(s.name(), s.dtype().name().toLowerCase(), s.shape()))
                .toList();
    }
}
