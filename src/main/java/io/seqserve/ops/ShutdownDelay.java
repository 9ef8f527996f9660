package io.seqserve.ops;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On SIGTERM, reports not ready and keeps serving for {@code seqserve.shutdown.delay} before the HTTP server's
 * graceful shutdown pauses its connector: requests a client sent just before the stop, still unread on a
 * keep-alive connection, are answered instead of having their connection closed (seen under `docker stop`,
 * ContainerLifecycleIT), and load balancers see /readyz fail first. Kubernetes' preStop sleep does the same
 * from outside; this covers plain `docker stop` and service managers. Not pauseable: Spring's test context
 * cache pauses idle contexts (stop, later restart), and a pause must neither sleep nor leave /readyz failing.
 */
@Component
class ShutdownDelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDelay.class);

    private final ApplicationContext context;
    private final Duration delay;
    private volatile boolean running;

    ShutdownDelay(ApplicationContext context, @Value("${seqserve.shutdown.delay}") Duration delay) {
        this.context = context;
        this.delay = delay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        if (!delay.isZero()) {
            log.info("shutting down: not ready, serving for {} more before the HTTP server drains", delay);
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Above the web server's graceful shutdown (DEFAULT_PHASE - 1024), so it stops first. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
