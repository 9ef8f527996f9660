package io.seqserve.live;

import io.seqserve.Failure;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.Pin;
import io.seqserve.runtime.NamedThreads;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps live sessions across restarts and in bounds over time. Every {@code snapshot-interval} one thread
 * ({@code session-snapshots-1}) ends sessions idle past their TTL, writes the sessions that changed since their
 * last snapshot and deletes the files of ended ones; at shutdown it writes everything once more, after the web
 * server has finished its requests. At start it restores every snapshot (pinning, and so loading again, each
 * session's version), so the next observation after a restart answers exactly as it would have before.
 *
 * <p>After a crash a session resumes from its last snapshot: at most one interval of calls is lost, and its
 * {@code observations} count tells the client where it stands.
 */
@Component
class SessionSnapshots implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionSnapshots.class);

    private final LiveSessions sessions;
    private final SnapshotStore store;
    private final ModelRegistry registry;
    private final LiveMetrics metrics;
    private final Duration interval;
    private final Set<String> written = new HashSet<>();
    private ScheduledExecutorService timer;
    private volatile boolean running;

    SessionSnapshots(
            LiveSessions sessions,
            SnapshotStore store,
            ModelRegistry registry,
            LiveMetrics metrics,
            LiveProperties properties) {
        this.sessions = sessions;
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
        this.interval = properties.snapshotInterval();
    }

    @Override
    public void start() {
        restore();
        timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("session-snapshots"));
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (timer != null) {
            NamedThreads.shutdown(timer, Duration.ofSeconds(10));
        }
        tick();
        log.info("{} live sessions saved under {}", sessions.all().size(), store.dir());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the registry has scanned (its phase is lower); stops before it unloads and after the web server. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 3072;
    }

    /** Test contexts are paused between classes; stopping would save and drop nothing useful. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** One round: expire idle sessions, write changed ones, delete ended ones' files. */
    synchronized void tick() {
        long start = System.nanoTime();
        int count = 0;
        try {
            long now = System.nanoTime();
            for (LiveSession s : sessions.all().values()) {
                if (!s.busy() && s.idleLongerThanTtl(now)) {
                    sessions.end(s, Ended.Reason.EXPIRED);
                }
            }
            for (LiveSession s : sessions.all().values()) {
                if (s.unsaved() && write(s)) {
                    count++;
                }
            }
            for (String id : Set.copyOf(written)) {
                if (!sessions.all().containsKey(id)) {
                    store.delete(id);
                    written.remove(id);
                }
            }
        } catch (RuntimeException e) {
            log.warn("session snapshot round failed: {}", e.toString());
        }
        metrics.snapshot(System.nanoTime() - start, count);
    }

    private boolean write(LiveSession s) {
        long changes = s.changes();
        LiveTask task = sessions.task(s.task());
        try {
            store.write(new SnapshotStore.Snapshot(
                    s.id(),
                    s.task(),
                    s.model(),
                    s.version(),
                    s.createdAt().toString(),
                    s.ttl().toSeconds(),
                    s.lastUsedAt().toString(),
                    task.encode(s.state())));
            s.saved(changes);
            written.add(s.id());
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write the snapshot of session {}: {}", s.id(), e.toString());
            return false;
        }
    }

    private void restore() {
        int restored = 0;
        for (SnapshotStore.Snapshot snap : store.readAll()) {
            LiveTask task = sessions.task(snap.task());
            if (task == null) {
                log.warn("session {} has task '{}', which nothing serves; left on disk", snap.id(), snap.task());
                continue;
            }
            Pin pin;
            try {
                pin = registry.pin(snap.model(), snap.version());
            } catch (Failure e) {
                log.warn("session {} cannot resume: {}; removing it", snap.id(), e.getMessage());
                store.delete(snap.id());
                continue;
            }
            try {
                LiveSession s = new LiveSession(
                        snap.id(),
                        snap.task(),
                        snap.model(),
                        snap.version(),
                        Instant.parse(snap.createdAt()),
                        Duration.ofSeconds(snap.ttlSeconds()),
                        pin,
                        task.decode(snap.data()),
                        Instant.parse(snap.lastUsedAt()));
                s.saved(s.changes());
                sessions.restored(s);
                written.add(s.id());
                restored++;
            } catch (RuntimeException e) {
                pin.close();
                log.warn("session {} cannot be restored: {}; left on disk", snap.id(), e.toString());
            }
        }
        if (restored > 0) {
            log.info("{} live sessions restored from {}", restored, store.dir());
        }
    }
}
