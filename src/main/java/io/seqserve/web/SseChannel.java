package io.seqserve.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.ObjectMapper;

/**
 * One {@code text/event-stream} response, the one way the features stream (generation's tokens, training's
 * job events). Frames are queued by the producing thread (a decoding step, a training epoch) and written
 * by a writer thread, so a slow or stalled client never holds up its producer, nor the other streams it
 * feeds. A failed write, an error or a timeout of the response means the client is gone: the queue is
 * dropped and {@code onGone} runs once. While no frame goes out for a heartbeat interval, a comment frame
 * keeps proxies from closing the connection and reveals a client that left.
 */
public final class SseChannel {

    public static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

    private final ResponseBodyEmitter emitter;
    private final Executor writers;
    private final ObjectMapper json;
    private final ConcurrentLinkedQueue<String> frames = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean completed;
    private volatile long lastWrite = System.nanoTime();
    private volatile Runnable onGone = () -> {};
    private volatile ScheduledFuture<?> heartbeat;

    /**
     * @param writers runs the writes (each channel uses one of its threads while it has frames to write)
     * @param json writes the events' data
     */
    public SseChannel(long timeoutMillis, Executor writers, ObjectMapper json) {
        this(new ResponseBodyEmitter(timeoutMillis), writers, json);
    }

    /** Over a given emitter (tests use one whose writes stall). */
    public SseChannel(ResponseBodyEmitter emitter, Executor writers, ObjectMapper json) {
        this.emitter = emitter;
        this.writers = writers;
        this.json = json;
    }

    /** The streaming response, with the headers that keep proxies from buffering it. */
    public ResponseEntity<ResponseBodyEmitter> response() {
        return ResponseEntity.ok()
                .contentType(EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no")
                .body(emitter);
    }

    /** Starts watching the client and sending heartbeats; {@code onGone} runs when the client leaves. */
    public void begin(Runnable onGone, ScheduledExecutorService timer, Duration interval) {
        this.onGone = onGone;
        emitter.onTimeout(this::lost);
        emitter.onError(e -> lost());
        emitter.onCompletion(() -> {
            if (!completed) {
                lost();
            }
        });
        long nanos = interval.toNanos();
        heartbeat = timer.scheduleAtFixedRate(
                () -> {
                    if (System.nanoTime() - lastWrite >= nanos) {
                        enqueue(": keep-alive\n\n");
                    }
                },
                nanos,
                Math.max(1, nanos / 4),
                TimeUnit.NANOSECONDS);
        if (gone.get() || completed) {
            stopHeartbeat();
        }
        if (gone.get()) {
            onGone.run();
        }
    }

    /** Queues {@code data: <json>}. */
    public void data(Object event) {
        enqueue("data: " + json.writeValueAsString(event) + "\n\n");
    }

    /** Queues a named event, {@code event:<name>} and {@code data:<json>} (the framing of Spring's SseEmitter). */
    public void event(String name, Object data) {
        enqueue("event:" + name + "\ndata:" + json.writeValueAsString(data) + "\n\n");
    }

    /** Queues {@code data: [DONE]} and ends the response once everything queued is written. */
    public void done() {
        enqueue("data: [DONE]\n\n");
        close();
    }

    /** Ends the response once everything queued is written. */
    public void close() {
        closing = true;
        schedule();
    }

    private void enqueue(String frame) {
        if (!gone.get() && !completed) {
            frames.add(frame);
            schedule();
        }
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            writers.execute(this::drain);
        }
    }

    private void drain() {
        try {
            for (String frame = frames.poll(); frame != null && !gone.get(); frame = frames.poll()) {
                emitter.send(frame, EVENT_STREAM);
                lastWrite = System.nanoTime();
            }
            if (closing && frames.isEmpty() && !completed && !gone.get()) {
                completed = true;
                stopHeartbeat();
                emitter.complete();
            }
        } catch (IOException | IllegalStateException e) {
            lost();
        } finally {
            draining.set(false);
        }
        if (!frames.isEmpty() && !gone.get() && !completed) {
            schedule();
        }
    }

    private void lost() {
        if (gone.compareAndSet(false, true)) {
            stopHeartbeat();
            frames.clear();
            onGone.run();
        }
    }

    private void stopHeartbeat() {
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
    }
}
