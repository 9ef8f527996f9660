package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.json.JsonMapper;

/** Frames go out in order, heartbeats fill gaps, and a failed write tells the producer to stop. */
class SseChannelTest {

    /** A token event as generation sends it. */
    private record Token(String token, int index) {}

    private final ExecutorService writers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** An emitter that records what would be written, and fails once told to. */
    private static final class RecordingEmitter extends ResponseBodyEmitter {
        final List<String> frames = new CopyOnWriteArrayList<>();
        volatile boolean broken;
        volatile boolean completed;

        @Override
        public void send(Object object, MediaType mediaType) throws IOException {
            if (broken) {
                throw new IOException("Broken pipe");
            }
            frames.add((String) object);
        }

        @Override
        public void complete() {
            completed = true;
        }
    }

    @AfterEach
    void stop() {
        writers.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void framesAreWrittenInOrderAndTheResponseEndsAfterDone() throws Exception {
        RecordingEmitter emitter = new RecordingEmitter();
        SseChannel channel =
                new SseChannel(emitter, writers, JsonMapper.builder().build());
        channel.begin(() -> {}, timer, Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            channel.data(new Token("t" + i, i));
        }
        channel.done();

        awaitTrue(() -> emitter.completed);
        assertThat(emitter.frames).hasSize(101);
        assertThat(emitter.frames.get(0)).isEqualTo("data: {\"token\":\"t0\",\"index\":0}\n\n");
        assertThat(emitter.frames.get(99)).isEqualTo("data: {\"token\":\"t99\",\"index\":99}\n\n");
        assertThat(emitter.frames.get(100)).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void aQuietStreamGetsHeartbeatsAndAFailedWriteCancelsTheGeneration() throws Exception {
        RecordingEmitter emitter = new RecordingEmitter();
        SseChannel channel =
                new SseChannel(emitter, writers, JsonMapper.builder().build());
        CountDownLatch gone = new CountDownLatch(1);
        channel.begin(gone::countDown, timer, Duration.ofMillis(20));

        awaitTrue(() -> emitter.frames.size() >= 2);
        assertThat(emitter.frames).allMatch(f -> f.equals(": keep-alive\n\n"));

        emitter.broken = true;
        assertThat(gone.await(5, TimeUnit.SECONDS))
                .as("the generation is told the client left")
                .isTrue();
        int written = emitter.frames.size();
        channel.data(new Token("late", 0));
        Thread.sleep(100);
        assertThat(emitter.frames).hasSize(written);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).isLessThan(until);
            Thread.sleep(5);
        }
    }
}
