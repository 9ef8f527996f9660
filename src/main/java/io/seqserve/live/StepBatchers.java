package io.seqserve.live;

import io.seqserve.inference.ForwardPass;
import io.seqserve.inference.Inference;
import io.seqserve.registry.LoadedModel;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.NamedThreads;
import io.seqserve.runtime.WorkerPool;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import org.springframework.stereotype.Component;

/**
 * One {@link StepBatcher} per model version with sessions, dropped with the version (weak keys: a batcher does
 * not refer to its version). Outputs are split on the {@code session-step-N} threads, never on a worker's.
 */
@Component
class StepBatchers {

    private final Inference inference;
    private final LiveMetrics metrics;
    private final int maxRows;
    private final ExecutorService executor;
    private final Map<ModelVersion, StepBatcher> batchers = Collections.synchronizedMap(new WeakHashMap<>());

    StepBatchers(Inference inference, LiveMetrics metrics, LiveProperties properties) {
        this.inference = inference;
        this.metrics = metrics;
        this.maxRows = properties.maxStepRows();
        this.executor = NamedThreads.fixed(
                "session-step", Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** The passes of {@code version}'s sessions: shared with every other session of that version. */
    ForwardPass of(ModelVersion version) {
        return batchers.computeIfAbsent(
                version,
                v -> new StepBatcher(
                        new ModelRef(v.name(), v.version(), null),
                        v.signature().batchAxes(),
                        maxRows,
                        workers(v.loaded()),
                        inference,
                        executor,
                        metrics));
    }

    /** As many passes in flight as the version has workers, so each worker has the next batch at hand. */
    private static int workers(LoadedModel loaded) {
        return loaded == null
                ? 1
                : loaded.pools().stream().mapToInt(WorkerPool::workers).sum();
    }

    @PreDestroy
    void stop() {
        NamedThreads.shutdown(executor, Duration.ofSeconds(5));
    }
}
