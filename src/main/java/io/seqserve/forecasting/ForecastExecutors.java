package io.seqserve.forecasting;

import io.seqserve.runtime.NamedThreads;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.springframework.stereotype.Component;

/**
 * The threads forecasting continues on after a forward pass, so that model workers only run passes:
 * {@code forecast-continuation-N} builds the next step's inputs, reads outputs, scores backtests and builds
 * answers (as many threads as cores; its queue holds at most one task per admitted forward pass), and
 * {@code forecast-manifest-writer-1} writes calibrated residuals into manifests (file I/O, one at a time).
 * Both stop with the application context.
 */
@Component
class ForecastExecutors {

    private final ExecutorService continuations = NamedThreads.fixed(
            "forecast-continuation", Math.max(2, Runtime.getRuntime().availableProcessors()));
    private final ExecutorService manifestWriter = NamedThreads.fixed("forecast-manifest-writer", 1);

    Executor continuations() {
        return continuations;
    }

    Executor manifestWriter() {
        return manifestWriter;
    }

    @PreDestroy
    void stop() {
        NamedThreads.shutdown(manifestWriter, Duration.ofSeconds(10));
        NamedThreads.shutdown(continuations, Duration.ofSeconds(5));
    }
}
