package io.seqserve.training.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One thread that does the training feature's flushed writes (job records, checkpoints) in order, off
 * the training threads, so an epoch never waits for a disk flush. Background writes of the same key
 * coalesce: when epochs are faster than the disk, only the newest pending state is written.
 */
@Component
public class DurableWriter {

    private static final Logger log = LoggerFactory.getLogger(DurableWriter.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "training-writer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Runnable> pending = new ConcurrentHashMap<>();

    /** Writes in the background; a newer write for the same key replaces one not yet started. */
    public void later(String key, Runnable write) {
        if (pending.put(key, write) == null) {
            thread.execute(() -> {
                Runnable latest = pending.remove(key);
                if (latest != null) {
                    run(key, latest);
                }
            });
        }
    }

    /** Writes now, after everything queued before it; replaces a pending background write of the key. */
    public void now(String key, Runnable write) {
        pending.remove(key);
        try {
            thread.submit(() -> run(key, write)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run(key, write);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits until everything queued so far is on disk. */
    public void flush() {
        now("flush", () -> {});
    }

    public void close() {
        flush();
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(String key, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            log.error("durable write '{}' failed", key, e);
        }
    }
}
