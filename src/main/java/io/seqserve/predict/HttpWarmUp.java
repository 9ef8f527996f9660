package io.seqserve.predict;

import io.seqserve.StrictJson;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelState;
import io.seqserve.registry.ModelVersion;
import io.seqserve.runtime.TensorSpec;
import io.seqserve.runtime.WarmUp;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * before readiness says so ({@code httpWarmUp} in the readiness group). Under load right after start the JIT
 * compiler competes with dozens of request threads for the cores, and the first tens of seconds served a
 * fraction of steady-state throughput (bench/README.md). Eight clients send up to {@value #REQUESTS} requests
 * (the JIT's optimising tier compiles a method after some thousands of calls) in at most three quarters of
 * {@code seqserve.predict.warm-up} (default 8 s; 0 turns it off), then the warm-up waits, within the rest,
 * for the compiler to go quiet, so it compiles what the load queued with the cores to itself.
 * Each available version gets a row of zeros of its signature; the requests count in the metrics like any
 * others ({@code api="tfserving"}).
 */
@Component
public class HttpWarmUp {

    private static final Logger log = LoggerFactory.getLogger(HttpWarmUp.class);
    private static final int CLIENTS = 8;
    static final int REQUESTS = 15_000;
    private static final int PER_VERSION = 20;
    private static final long QUIET_COMPILER_MS = 300;

    private final ModelRegistry registry;
    private final Duration duration;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger sent = new AtomicInteger();

    HttpWarmUp(ModelRegistry registry, @Value("${seqserve.predict.warm-up:8s}") Duration duration) {
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
            List<byte[]> requests = requests();
            if (requests.isEmpty()) {
                return;
            }
            long start = System.nanoTime();
            long until = start + duration.toNanos();
            long loadUntil = start + duration.toNanos() * 3 / 4;
            // Every version's own conversions a few times; then the quickest version carries the bulk, so a
            // slow model does not stretch the warm-up of the path they all share.
            byte[] quickest = requests.get(0);
            long best = Long.MAX_VALUE;
            try (WarmUpClient client = new WarmUpClient(port)) {
                for (byte[] request : requests) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < PER_VERSION; i++) {
                        client.send(request);
                        sent.incrementAndGet();
                    }
                    if (System.nanoTime() - t0 < best) {
                        best = System.nanoTime() - t0;
                        quickest = request;
                    }
                }
            }
            byte[] bulk = quickest;
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> drive(port, bulk, loadUntil), "http-warm-up-" + c);
                t.setDaemon(true);
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) {
                t.join();
            }
            long requested = System.nanoTime();
            awaitQuietCompiler(until);
            log.info(
                    "HTTP warm-up: {} :predict requests to {} model version(s) in {} ms, then {} ms for the JIT"
                            + " compiler to finish",
                    sent.get(),
                    requests.size(),
                    (requested - start) / 1_000_000,
                    (System.nanoTime() - requested) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.warn("HTTP warm-up stopped: {}", e.toString());
        } finally {
            finished.countDown();
        }
    }

    /** Waits until the JIT has compiled nothing for a while (its queue is empty), or {@code until}. */
    private static void awaitQuietCompiler(long until) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < until && System.nanoTime() - quietSince < QUIET_COMPILER_MS * 1_000_000) {
            Thread.sleep(50);
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private void drive(int port, byte[] request, long until) {
        try (WarmUpClient client = new WarmUpClient(port)) {
            while (System.nanoTime() < until && sent.get() < REQUESTS) {
                client.send(request);
                sent.incrementAndGet();
            }
        } catch (IOException e) {
            log.debug("HTTP warm-up client stopped: {}", e.toString());
        }
    }

    /** One request per available version whose inputs JSON can carry: a row of zeros of its signature. */
    private List<byte[]> requests() {
        List<byte[]> requests = new ArrayList<>();
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
                requests.add(WarmUpClient.post(
                        "/v1/models/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/versions/"
                                + version.version() + ":predict",
                        body));
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
