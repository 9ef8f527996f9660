package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.runtime.NamedThreads;
import io.seqserve.web.SseChannel;

import jakarta.annotation.PreDestroy;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The HTTP side of a generation, for both APIs: an SSE response fed by a {@link SseChannel}, or one
 * JSON body sent when the generation ends. Both are asynchronous, so no servlet thread waits for a
 * generation, and both cancel the generation when the client goes away.
 */
@Component
class ResponseStreams {

    private final GenerationProperties properties;
    private final ObjectMapper json;
    private final ExecutorService writers;
    private final ScheduledExecutorService timer;

    /**
     * {@code json} is the application's mapper, so events are written as responses are. A channel uses one
     * {@code sse-writer-N} thread at a time, and there are about as many channels as generations running,
     * so that many writers let no stream wait for another's slow client.
     */
    ResponseStreams(GenerationProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        this.writers = NamedThreads.fixed("sse-writer", properties.maxConcurrentStreams());
        this.timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("sse-heartbeat"));
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

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        NamedThreads.shutdown(writers, Duration.ofSeconds(5));
    }
}
