package io.seqserve.generation;

import io.seqserve.Failure;
import io.seqserve.runtime.NamedThreads;
import io.seqserve.web.JsonReply;
import io.seqserve.web.SseChannel;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side of a generation, for both APIs: an SSE response fed by a {@link SseChannel}, or one
 * JSON body sent when the generation ends. Both are asynchronous, so no servlet thread waits for a
 * generation, and both cancel the generation when the client goes away: the SSE channel notices it when
 * a token or a heartbeat fails to go out, the JSON reply when one of its disconnect probes does.
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
        return new SseChannel(responseTimeoutMillis(), writers, json);
    }

    /** Watches the channel of a generation that has started: the generation stops if the client leaves. */
    SseChannel eventStream(SseChannel channel, Generation generation) {
        channel.begin(generation::cancel, timer, properties.heartbeatInterval());
        return channel;
    }

    /**
     * Starts a generation through {@code start} and answers with {@code body(result)} as JSON when it
     * ends, or with its error as a problem.
     */
    JsonReply json(Function<GenerationListener, Generation> start, Function<GenerationResult, Object> body) {
        JsonReply reply = new JsonReply(responseTimeoutMillis());
        Generation generation = start.apply(new GenerationListener() {
            @Override
            public void onToken(int index, String text) {
                // the body is sent whole at the end
            }

            @Override
            public void onFinish(GenerationResult result) {
                writers.execute(() -> reply.send(body.apply(result)));
            }

            @Override
            public void onError(Failure error) {
                reply.fail(error);
            }
        });
        reply.onGone(generation::cancel, timer, properties.disconnectProbeInterval());
        return reply;
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
