package io.seqserve.ops;

import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.Readiness;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness (the {@code readiness} probe group, {@code /readyz}): UP when the replica can serve
 * ({@link Readiness}); OUT_OF_SERVICE while models load or required engines are checked; DOWN when an engine
 * is down or a version failed because of the environment (or a required one failed). The details say why.
 */
@Component
class ModelRegistryHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    ModelRegistryHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Readiness.Report report = registry.readiness();
        Health.Builder health = switch (report.status()) {
            case READY -> Health.up();
            case STARTING -> Health.outOfService();
            case BROKEN -> Health.down();
        };
        health.withDetail("models", report.scope().name().toLowerCase()).withDetail("engines", report.engines());
        if (!report.problems().isEmpty()) {
            health.withDetail("problems", report.problems());
        }
        return health.build();
    }
}
