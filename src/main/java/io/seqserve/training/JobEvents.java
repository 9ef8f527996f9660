package io.seqserve.training;

import io.seqserve.training.data.Json;
import io.seqserve.web.SseChannel;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * A job's event stream: {@code trial} per scored search trial and {@code progress} per epoch (those so far
 * first), then one {@code status} with the ended job. The job hands each event to an {@link SseChannel},
 * which queues it and writes it from its own thread, so the training thread never waits for a client; a
 * client that leaves (or the stream's timeout) ends the subscription.
 */
@Component
class JobEvents {

    private final JobService jobs;
    private final TrainingProperties properties;
    private final ExecutorService writers;
    private final ScheduledExecutorService timer;

    JobEvents(JobService jobs, TrainingProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
        AtomicInteger count = new AtomicInteger();
        this.writers = Executors.newCachedThreadPool(r -> daemon(r, "training-events-" + count.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "training-events-heartbeat"));
    }

    /** The stream of job {@code id}; 404 when there is no such job. */
    SseChannel open(String id) {
        jobs.get(id);
        SseChannel channel = new SseChannel(properties.eventsTimeout().toMillis(), writers, Json.FILES);
        Job.Listener listener = forward(channel);
        jobs.subscribe(id, listener);
        channel.begin(() -> jobs.unsubscribe(id, listener), timer, properties.eventsHeartbeat());
        return channel;
    }

    /** Hands a job's events to a channel, which only queues them; the status event ends the stream. */
    static Job.Listener forward(SseChannel channel) {
        return new Job.Listener() {
            @Override
            public void progress(JobView.Progress progress) {
                channel.event("progress", progress);
            }

            @Override
            public void trial(JobView.Trial trial) {
                channel.event("trial", trial);
            }

            @Override
            public void status(JobView job) {
                channel.event("status", job);
                channel.close();
            }
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        writers.shutdownNow();
    }
}
