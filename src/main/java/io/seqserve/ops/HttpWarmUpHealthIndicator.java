package io.seqserve.ops;

import io.seqserve.predict.HttpWarmUp;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness waits for the HTTP warm-up ({@link HttpWarmUp}), which starts once the models are ready. */
@Component
class HttpWarmUpHealthIndicator implements HealthIndicator {

    private final HttpWarmUp warmUp;

    HttpWarmUpHealthIndicator(HttpWarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public Health health() {
        return warmUp.done()
                ? Health.up().build()
                : Health.outOfService()
                        .withDetail("reason", "warming up the request path")
                        .build();
    }
}
