package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.web.SseChannel;

import jakarta.annotation.PreDestroy;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP side of a generation, for both APIs: an SSE response fed by a {@link SseChannel}, or one
 * JSON body sent when the generation ends. Both are asynchronous, so no servlet thread waits for a
 * generation, and both cancel the generation when the client goes away.
 */
@Component
class ResponseStreams {

    private final GenerationProperties properties;
    private final ObjectMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    private final ExecutorService writers;
    private final ScheduledExecutorService timer;

    ResponseStreams(GenerationProperties properties) {
        this.properties = properties;
        AtomicInteger count = new AtomicInteger();
        this.writers = Executors.newCachedThreadPool(r -> daemon(r, "sse-writer-" + count.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sse-heartbeat"));
    }

    /** A channel for an SSE response; events may be queued on it before {@link #eventStream} returns it. */
    SseChannel channel() {
        return new SseChannel(new ResponseBodyEmitter(responseTimeoutMillis()), writers, json);
    }

    /** The response for a channel whose generation has started; the generation stops if the client leaves. */
    ResponseEntity<ResponseBodyEmitter> eventStream(SseChannel channel, Generation generation) {
        channel.begin(generation::cancel, timer, properties.heartbeatInterval());
        return ResponseEntity.ok().contentType(SseChannel.EVENT_STREAM).header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no").body(channel.emitter());
    }

    /**
     * Starts a generation through {@code start} and answers with {@code body(result)} as JSON when it
     * ends, or with its error as a problem.
     */
    ResponseEntity<ResponseBodyEmitter> json(Function<GenerationListener, Generation> start,
            Function<GenerationResult, Object> body) {
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(responseTimeoutMillis());
        Generation generation = start.apply(new GenerationListener() {
            @Override
            public void onToken(int index, String text) {
                // the body is sent whole at the end
            }

            @Override
            public void onFinish(GenerationResult result) {
                writers.execute(() -> {
                    try {
                        emitter.send(body.apply(result), MediaType.APPLICATION_JSON);
                        emitter.complete();
                    } catch (IOException | IllegalStateException e) {
                        // the client left; nothing to tell it
                    }
                });
            }

            @Override
            public void onError(Failure error) {
                // Nothing was written yet, so Spring dispatches the error to the problem+json handler.
                emitter.completeWithError(error);
            }
        });
        emitter.onTimeout(generation::cancel);
        emitter.onError(e -> generation.cancel());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }

    private long responseTimeoutMillis() {
        // Longer than the generation deadline, which ends the generation cleanly first.
        return properties.deadline().toMillis() + 30_000;
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
