package io.seqserve.web;

import io.seqserve.Failure;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One JSON body sent when asynchronous work ends, or its failure as a problem: the response of a
 * non-streaming request that runs longer than a servlet thread should wait (a whole generation).
 *
 * <p>Tomcat notices that a client closed its connection only when it reads or writes on it, and nothing is
 * read or written while the work runs. So every probe interval a space goes out before the body (JSON
 * allows whitespace before a value): the write that fails after the client left ends the reply and runs
 * {@code onGone}, which stops the work and frees what it held. The first space commits status 200: a
 * failure before it is a problem with its own status; a failure after it can only be told in the body, as
 * {@code {"error": {type, status, title, detail}}}, the shape a stream's error event has.
 */
public final class JsonReply {

    private final ResponseBodyEmitter emitter;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Serialises the probes with the final write, so a failure knows whether the status went out. */
    private final Object writes = new Object();

    private boolean committed;
    private volatile Runnable onGone = () -> {};
    private volatile ScheduledFuture<?> probe;

    public JsonReply(long timeoutMillis) {
        this.emitter = new ResponseBodyEmitter(timeoutMillis);
    }

    /**
     * Watches the client from now on: {@code gone} runs once when the response times out, its connection
     * fails, or a probe (one space every {@code interval}, on {@code timer}) finds the client gone.
     */
    public void onGone(Runnable gone, ScheduledExecutorService timer, Duration interval) {
        this.onGone = gone;
        emitter.onTimeout(this::lost);
        emitter.onError(e -> lost());
        emitter.onCompletion(this::lost);
        long nanos = interval.toNanos();
        probe = timer.scheduleWithFixedDelay(this::probe, nanos, nanos, TimeUnit.NANOSECONDS);
        if (ended.get()) {
            stopProbing();
        }
    }

    public void send(Object body) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        stopProbing();
        synchronized (writes) {
            try {
                emitter.send(body, MediaType.APPLICATION_JSON);
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                // the client left; nothing to tell it
            }
        }
    }

    /** Before the first probe: Spring dispatches the failure to the problem+json handler; after it: in the body. */
    public void fail(Failure failure) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        stopProbing();
        synchronized (writes) {
            if (!committed) {
                emitter.completeWithError(failure);
                return;
            }
            try {
                emitter.send(
                        Map.of(
                                "error",
                                Map.of(
                                        "type", Problems.type(failure.kind()).toString(),
                                        "status", Problems.status(failure.kind()),
                                        "title", Problems.title(failure.kind()),
                                        "detail", failure.getMessage())),
                        MediaType.APPLICATION_JSON);
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                // the client left
            }
        }
    }

    public ResponseEntity<ResponseBodyEmitter> response() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }

    private void probe() {
        synchronized (writes) {
            if (ended.get()) {
                return;
            }
            try {
                emitter.send(" ", MediaType.APPLICATION_JSON);
                committed = true;
            } catch (IOException | IllegalStateException e) {
                lost();
            }
        }
    }

    /** The client is gone or the container ended the response: nothing more is written, the work stops. */
    private void lost() {
        if (ended.compareAndSet(false, true)) {
            stopProbing();
            onGone.run();
        }
    }

    private void stopProbing() {
        ScheduledFuture<?> scheduled = probe;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
