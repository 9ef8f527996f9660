package io.seqserve.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Starts the registry with the application, rescans the models root, and stops it after the web server: phase DEFAULT - 4096, so
 * it starts before the web server and stops after its graceful shutdown (phase DEFAULT - 2048), and
 * requests in flight at SIGTERM finish on loaded models before the workers drain and close.
 */
@Component
class RegistryLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RegistryLifecycle.class);

    private final VersionManager manager;

    RegistryLifecycle(VersionManager manager) {
        this.manager = manager;
    }

    @Override
    public void start() {
        manager.start();
    }

    @Override
    public void stop() {
        manager.stop();
    }

    /** New, changed and removed versions on disk are picked up at every poll interval. */
    @Scheduled(
            initialDelayString = "${seqserve.models.poll-interval:2s}",
            fixedDelayString = "${seqserve.models.poll-interval:2s}")
    void poll() {
        if (manager.running()) {
            try {
                manager.scan();
            } catch (RuntimeException e) {
                log.warn("rescanning the models root failed: {}", e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return manager.running();
    }

    /** Test contexts are paused between classes; stopping would unload every model and kill the loader. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
