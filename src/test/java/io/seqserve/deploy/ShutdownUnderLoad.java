package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * SIGTERM while the server is busy. Load: {@value #STREAMS} token streams (SSE) that are surely in flight
 * (each has received tokens) and will run for seconds more, plus {@value #CLIENTS} clients sending short
 * predictions back to back (a few hundred answered before the stop). Then {@code docker stop} with a grace period. Every stream must run to its
 * end ({@code finish_reason} and {@code [DONE]}); every prediction sent before the stop was issued must
 * answer 200; predictions sent after it may be refused. Reports the container's exit code and how long
 * the stop took.
 */
final class ShutdownUnderLoad {

    static final int STREAMS = 8;
    static final int CLIENTS = 3;
    private static final int TOKENS = 400;
    private static final int PREDICTIONS_FIRST = 200;

    record Outcome(
            int streams,
            int predictionsBeforeStop,
            int refusedAfterStop,
            List<String> failures,
            int exitCode,
            Duration stopTook) {
        @Override
        public String toString() {
            return "%d streams and %d predictions in flight or done before SIGTERM, %d failed; %d refused after it; exit %d after %.1f s"
                    .formatted(
                            streams,
                            predictionsBeforeStop,
                            failures.size(),
                            refusedAfterStop,
                            exitCode,
                            stopTook.toMillis() / 1e3);
        }
    }

    private final SeqserveContainer container;
    private final Duration grace;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger predictions = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean stopping;
    private volatile long stopIssuedAt = Long.MAX_VALUE;

    ShutdownUnderLoad(SeqserveContainer container, Duration grace) {
        this.container = container;
        this.grace = grace;
    }

    Outcome run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(STREAMS + CLIENTS);
        try {
            CountDownLatch streaming = new CountDownLatch(STREAMS);
            CountDownLatch predicting = new CountDownLatch(CLIENTS);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                int seed = i;
                work.add(pool.submit(() -> stream(seed, streaming)));
            }
            for (int i = 0; i < CLIENTS; i++) {
                work.add(pool.submit(() -> predict(predicting)));
            }
            assertThat(streaming.await(2, TimeUnit.MINUTES))
                    .as("every stream sends tokens; failures: %s", failures)
                    .isTrue();
            assertThat(predicting.await(1, TimeUnit.MINUTES))
                    .as("every client gets answers; failures: %s", failures)
                    .isTrue();
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (predictions.get() < PREDICTIONS_FIRST && System.nanoTime() < until) {
                Thread.sleep(20);
            }

            stopping = true;
            stopIssuedAt = System.nanoTime();
            container.stop(grace);
            Duration took = Duration.ofNanos(System.nanoTime() - stopIssuedAt);
            for (Future<?> future : work) {
                future.get(1, TimeUnit.MINUTES);
            }
            int exit = Integer.parseInt(container.inspect("{{.State.ExitCode}}"));
            return new Outcome(STREAMS, predictions.get(), refused.get(), List.copyOf(failures), exit, took);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One SSE generation: must end with a finish reason and [DONE], whatever happens meanwhile. */
    private void stream(int seed, CountDownLatch streaming) {
        String body = """
                {"prompt": "ROMEO:", "max_tokens": %d, "temperature": 0.8, "seed": %d, "stream": true}""".formatted(TOKENS, seed);
        boolean counted = false;
        try {
            HttpRequest request = HttpRequest.newBuilder(container.uri("/v1/models/shakespeare-gru:generate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<Stream<String>> response =
                    SeqserveContainer.client().send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                failures.add("stream " + seed + ": status " + response.statusCode());
                return;
            }
            int tokens = 0;
            boolean finished = false;
            boolean done = false;
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.startsWith("data: {\"token\"")) {
                    tokens++;
                    if (!counted) {
                        counted = true;
                        streaming.countDown();
                    }
                } else if (line.contains("\"finish_reason\"")) {
                    finished = true;
                } else if (line.equals("data: [DONE]")) {
                    done = true;
                } else if (line.contains("\"error\"")) {
                    failures.add("stream " + seed + ": " + line);
                }
            }
            if (!finished || !done || tokens != TOKENS) {
                failures.add("stream " + seed + ": cut off after " + tokens + " tokens (finish_reason " + finished
                        + ", [DONE] " + done + ")");
            }
        } catch (Exception e) {
            failures.add("stream " + seed + ": " + e);
        } finally {
            if (!counted) {
                streaming.countDown();
            }
        }
    }

    /** Short predictions back to back until the stop is issued. */
    private void predict(CountDownLatch predicting) {
        boolean counted = false;
        while (!stopping) {
            long sent = System.nanoTime();
            String outcome;
            try {
                HttpRequest request = HttpRequest.newBuilder(container.uri("/v1/models/half_plus_two:predict"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [1.0, 2.0, 5.0]}"))
                        .build();
                HttpResponse<String> response =
                        SeqserveContainer.client().send(request, HttpResponse.BodyHandlers.ofString());
                outcome = response.statusCode() == 200 && response.body().contains("[2.5,3.0,4.5]")
                        ? null
                        : "status " + response.statusCode() + " " + response.body();
            } catch (Exception e) {
                outcome = e.toString();
            }
            if (sent < stopIssuedAt) {
                predictions.incrementAndGet();
                if (outcome != null) {
                    failures.add("prediction sent before the stop: " + outcome);
                }
            } else if (outcome != null) {
                refused.incrementAndGet();
            }
            if (!counted) {
                counted = true;
                predicting.countDown();
            }
        }
        if (!counted) {
            predicting.countDown();
        }
    }
}
