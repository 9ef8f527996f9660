package io.seqserve.generation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Generation meters: {@code seqserve_generated_tokens_total}, time to first token, inter-token latency,
 * active streams, forward passes and rows per pass (the effect of step batching), and how streams end.
 */
@Component
class GenerationMetrics {

    /** The meters of one model, looked up once per generation. */
    final class ForModel {
        private final String model;
        private final Counter tokens;
        private final Timer firstToken;
        private final Timer interToken;
        private final Counter passes;
        private final DistributionSummary rows;

        private ForModel(String model) {
            this.model = model;
            tokens = Counter.builder("seqserve.generated.tokens")
                    .description("Tokens generated")
                    .tag("model", model)
                    .register(meters);
            firstToken = latency(
                    "seqserve.generation.time.to.first.token", "From request to its first generated token", model);
            interToken = latency(
                    "seqserve.generation.inter.token.latency", "Between consecutive tokens of one generation", model);
            passes = Counter.builder("seqserve.generation.forward.passes")
                    .description("Forward passes run for generation (one per step and window length)")
                    .tag("model", model)
                    .register(meters);
            rows = DistributionSummary.builder("seqserve.generation.step.rows")
                    .description("Streams carried by one generation forward pass")
                    .tag("model", model)
                    .register(meters);
        }

        void token(boolean first, long nanos) {
            tokens.increment();
            (first ? firstToken : interToken).record(nanos, TimeUnit.NANOSECONDS);
        }

        void pass(int streams) {
            passes.increment();
            rows.record(streams);
        }

        void ended(String outcome) {
            Counter.builder("seqserve.generation.streams")
                    .description("Generations by how they ended")
                    .tag("model", model)
                    .tag("outcome", outcome)
                    .register(meters)
                    .increment();
        }
    }

    private final MeterRegistry meters;
    private final AtomicInteger active = new AtomicInteger();
    private final ConcurrentHashMap<String, ForModel> byModel = new ConcurrentHashMap<>();

    GenerationMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("seqserve.generation.active.streams", active::get)
                .description("Generations running now")
                .register(meters);
    }

    ForModel forModel(String model) {
        return byModel.computeIfAbsent(model, ForModel::new);
    }

    AtomicInteger active() {
        return active;
    }

    private Timer latency(String name, String description, String model) {
        return Timer.builder(name)
                .description(description)
                .tag("model", model)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }
}
