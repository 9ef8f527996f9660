package io.seqserve.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.seqserve.Failure;
import io.seqserve.runtime.Devices;
import io.seqserve.training.nn.EpochLoop;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Device slots for training: per device ({@code cpu}, {@code gpu0}, ...) a pool of
 * {@code seqserve.training.concurrent-jobs} threads, so jobs queue rather than crowd out serving. Each
 * training thread limits its own PyTorch intra-op threads to {@code threads-per-job} (OpenMP's thread
 * count is per calling thread), leaving the other cores to the serving workers.
 */
@Component
class JobExecutors {

    private final TrainingProperties properties;
    private final Devices devices;
    private final Map<String, ThreadPoolExecutor> pools = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    JobExecutors(TrainingProperties properties, Devices devices) {
        this.properties = properties;
        this.devices = devices;
    }

    /** The device a request's {@code device} names: {@code auto} is the first GPU when PyTorch sees one. */
    String resolve(String requested) {
        int gpus = devices.gpuCount(EpochLoop.ENGINE);
        return switch (requested) {
            case "auto" -> gpus > 0 ? "gpu0" : "cpu";
            case "cpu" -> "cpu";
            default -> {
                int index = requested.equals("gpu") ? 0 : Integer.parseInt(requested.substring(3));
                if (index >= gpus) {
                    throw Failure.unprocessable(
                            "device", "'" + requested + "' requested but the PyTorch engine sees " + gpus + " GPU(s)");
                }
                yield "gpu" + index;
            }
        };
    }

    static Device device(String name) {
        return name.equals("cpu") ? Device.cpu() : Device.gpu(Integer.parseInt(name.substring(3)));
    }

    void submit(String device, Runnable job) {
        pools.computeIfAbsent(device, this::newPool).execute(() -> {
            Engine.getEngine(EpochLoop.ENGINE); // loads the native library the calls below need
            JniUtils.setNumThreads(properties.threadsPerJob());
            // Autograd only inside gradient collectors; validation and evaluation record nothing.
            JniUtils.setGradMode(false);
            job.run();
        });
    }

    /** True once the server is shutting down: running jobs checkpoint and stop. */
    boolean stopping() {
        return stopping;
    }

    /** Asks running jobs to stop at their next batch and waits for them; queued ones stay queued on disk. */
    void stop(Duration timeout) {
        stopping = true;
        for (ThreadPoolExecutor pool : pools.values()) {
            pool.getQueue().clear();
            pool.shutdown();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ThreadPoolExecutor pool : pools.values()) {
            try {
                pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ThreadPoolExecutor newPool(String device) {
        AtomicInteger count = new AtomicInteger();
        int size = properties.concurrentJobs();
        return new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "training-" + device + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
