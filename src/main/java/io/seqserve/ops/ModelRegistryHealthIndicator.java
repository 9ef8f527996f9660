package io.seqserve.ops;

import io.seqserve.registry.ModelRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness: out of service until the models present at start-up have loaded or failed. */
@Component
class ModelRegistryHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    ModelRegistryHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        return registry.ready()
                ? Health.up().build()
                : Health.outOfService()
                        .withDetail("reason", "models are still loading")
                        .build();
    }
}
