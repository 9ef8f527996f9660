package io.seqserve.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executors whose threads say what they are for ({@code forecast-continuation-3}) and how many there may
 * be. Every executor seqserve starts is made here and shut down with the Spring context by its owner.
 */
public final class NamedThreads {

    private static final Logger log = LoggerFactory.getLogger(NamedThreads.class);

    private NamedThreads() {}

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * At most {@code threads} threads over an unbounded queue: for continuations of work that was admitted
     * elsewhere (a bounded worker queue, a bounded number of streams), so the queue cannot outgrow what was
     * admitted. Threads start when needed and end after a minute idle.
     */
    public static ExecutorService fixed(String prefix, int threads) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory(prefix));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Stops intake and waits up to {@code grace} for running tasks, then interrupts them. */
    public static void shutdown(ExecutorService executor, Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} tasks still running after {}; interrupting", executor, grace);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
