package io.seqserve.runtime;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Worker runtime defaults ({@code seqserve.runtime.*}); a model's manifest overrides the batching and
 * worker settings for that model. {@code intraOpThreads}/{@code interOpThreads} and {@code nativeCache}
 * are applied by {@link EngineEnvironment} before any engine starts.
 *
 * @param devices {@code auto} (GPUs when an engine reports them, else CPU) or {@code cpu}
 * @param requiredEngines engines ({@code TensorFlow}, {@code PyTorch}, {@code OnnxRuntime}) checked at start and
 *        required for readiness even when no model on disk needs them ({@link EngineChecks})
 */
@ConfigurationProperties("seqserve.runtime")
public record RuntimeProperties(
        @DefaultValue("1") int workers,
        @DefaultValue("32") int maxBatchSize,
        @DefaultValue("0ms") Duration maxDelay,
        @DefaultValue("256") int queueCapacity,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("30s") Duration drainTimeout,
        @DefaultValue("auto") String devices,
        Integer intraOpThreads,
        Integer interOpThreads,
        String nativeCache,
        List<String> requiredEngines) {

    public RuntimeProperties {
        requiredEngines = requiredEngines == null ? List.of() : List.copyOf(requiredEngines);
        new BatchPolicy(maxBatchSize, maxDelay, queueCapacity);
        if (workers < 1) {
            throw new IllegalArgumentException("seqserve.runtime.workers must be >= 1");
        }
        if (!devices.equals("auto") && !devices.equals("cpu")) {
            throw new IllegalArgumentException("seqserve.runtime.devices must be auto or cpu");
        }
    }
}
