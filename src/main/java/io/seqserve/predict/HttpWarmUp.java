package io.seqserve.predict;

import io.seqserve.StrictJson;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelState;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.TensorSpec;
import io.seqserve.runtime.WarmUp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends real {@code :predict} requests through this server's own HTTP port once the models are ready and
 * before readiness says so ({@code httpWarmUp} in the readiness group), for {@code seqserve.predict.warm-up}
 * (default 3 s; 0 turns it off). Under load right after start the JIT compiler competes with dozens of
 * request threads for the cores, and the first tens of seconds served a fraction of steady-state
 * throughput (bench/README.md); two clients for a few seconds let it compile the HTTP, JSON and request path
 * first. Each available version gets a row of zeros of its signature; the requests count in the metrics
 * like any others ({@code api="tfserving"}).
 */
@Component
public class HttpWarmUp {

    private static final Logger log = LoggerFactory.getLogger(HttpWarmUp.class);
    private static final int CLIENTS = 2;

    private final ModelRegistry registry;
    private final Duration duration;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger sent = new AtomicInteger();

    HttpWarmUp(ModelRegistry registry, @Value("${seqserve.predict.warm-up:3s}") Duration duration) {
        this.registry = registry;
        this.duration = duration;
        if (duration.isZero() || duration.isNegative()) {
            finished.countDown();
        }
    }

    /** True once the warm-up has run (or is off). */
    public boolean done() {
        return finished.getCount() == 0;
    }

    /** How many warm-up requests were answered. */
    public int requestsSent() {
        return sent.get();
    }

    @EventListener
    void onServerStarted(WebServerInitializedEvent event) {
        if (done() || "management".equals(event.getApplicationContext().getServerNamespace())) {
            return;
        }
        int port = event.getWebServer().getPort();
        Thread thread = new Thread(() -> run(port), "http-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(int port) {
        try {
            while (!registry.ready()) {
                Thread.sleep(50);
            }
            List<HttpRequest> requests = requests(port);
            if (requests.isEmpty()) {
                return;
            }
            long start = System.nanoTime();
            long until = start + duration.toNanos();
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c;
                Thread t = new Thread(() -> drive(client, requests, first, until, sent), "http-warm-up-" + c);
                t.setDaemon(true);
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) {
                t.join();
            }
            log.info(
                    "HTTP warm-up: {} :predict requests to {} model version(s) in {} ms",
                    sent.get(),
                    requests.size(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("HTTP warm-up stopped: {}", e.toString());
        } finally {
            finished.countDown();
        }
    }

    private static void drive(
            HttpClient client, List<HttpRequest> requests, int first, long until, AtomicInteger sent) {
        for (int i = first; System.nanoTime() < until; i++) {
            try {
                client.send(requests.get(i % requests.size()), HttpResponse.BodyHandlers.discarding());
                sent.incrementAndGet();
            } catch (java.io.IOException e) {
                return; // the server is going away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One request per available version whose inputs JSON can carry: a row of zeros of its signature. */
    private List<HttpRequest> requests(int port) {
        List<HttpRequest> requests = new ArrayList<>();
        for (String name : registry.names()) {
            for (ModelVersion version : registry.versions(name)) {
                if (version.state() != ModelState.AVAILABLE || version.signature() == null) {
                    continue;
                }
                List<TensorSpec> inputs = version.signature().inputs();
                if (inputs.isEmpty() || !version.signature().batchable()) {
                    continue;
                }
                Object instance;
                if (inputs.size() == 1) {
                    instance = zeros(inputs.get(0));
                } else {
                    Map<String, Object> named = new LinkedHashMap<>();
                    inputs.forEach(input -> named.put(input.name(), zeros(input)));
                    instance = named;
                }
                byte[] body = StrictJson.MAPPER.writeValueAsBytes(Map.of("instances", List.of(instance)));
                requests.add(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/" + name
                                + "/versions/" + version.version() + ":predict"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build());
            }
        }
        return requests;
    }

    /** Nested lists of zeros for one row of {@code input} (dimension 0 dropped). */
    private static Object zeros(TensorSpec input) {
        long[] shape = WarmUp.shape(input, 1);
        return nested(shape, 1);
    }

    private static Object nested(long[] shape, int axis) {
        if (axis == shape.length) {
            return 0;
        }
        List<Object> list = new ArrayList<>((int) shape[axis]);
        for (long i = 0; i < shape[axis]; i++) {
            list.add(nested(shape, axis + 1));
        }
        return list;
    }
}
