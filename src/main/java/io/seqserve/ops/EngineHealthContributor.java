package io.seqserve.ops;

import io.seqserve.runtime.EngineChecks;
import io.seqserve.runtime.EngineStatus;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code engines} in {@code /actuator/health}: one component per engine that was checked (the engines the
 * models on disk need and the configured required ones), UP with its version and how long the self-check
 * took, DOWN with the reason, UNKNOWN while it runs. Not part of the readiness group by itself: readiness
 * ({@link ModelRegistryHealthIndicator}) counts the engines that are still needed.
 */
@Component("engines")
class EngineHealthContributor implements CompositeHealthContributor {

    private final EngineChecks engines;

    EngineHealthContributor(EngineChecks engines) {
        this.engines = engines;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return engines.all().containsKey(name) ? indicator(name) : null;
    }

    @Override
    public Stream<Entry> stream() {
        return engines.all().keySet().stream().map(name -> new Entry(name, indicator(name)));
    }

    private HealthIndicator indicator(String name) {
        return () -> health(engines.status(name));
    }

    static Health health(Optional<EngineStatus> status) {
        if (status.isEmpty()) {
            return Health.unknown().withDetail("check", "running").build();
        }
        EngineStatus s = status.get();
        Health.Builder health = s.up()
                ? Health.up().withDetail("version", s.version())
                : Health.down().withDetail("reason", s.reason());
        return health.withDetail("checkMs", s.took().toMillis()).build();
    }
}
