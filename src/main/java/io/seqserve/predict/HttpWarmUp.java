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
import java.lang.management.RuntimeMXBean;
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
 * fraction of steady-state throughput (bench/README.md). Each available version gets a few requests on its
 * versioned path; then a few clients ({@link #clients(int)}) take turns over the quickest version of each
 * engine, on its model's bare path (what most clients call), so each engine's conversions are compiled along with
 * the shared HTTP and JSON path, and a slow model does not slow the rest. They send up to
 * {@value #REQUESTS} requests (the JIT's optimising tier compiles a method after some thousands of calls) in at
 * most seven eighths of {@code seqserve.predict.warm-up} ({@link #defaultDuration(boolean)}; 0 turns it off), then
 * the warm-up waits, within the rest, for the compilers to go quiet, so they compile what the load queued with the
 * cores to themselves.
 * Inputs are rows of full-precision decimals (integers where the signature wants them), as real clients send:
 * numbers parse on a different path than zeros. The requests count in the metrics like any others
 * ({@code api="tfserving"}).
 */
@Component
public class HttpWarmUp {

    private static final Logger log = LoggerFactory.getLogger(HttpWarmUp.class);
    static final int REQUESTS = 30_000;
    private static final int PER_VERSION = 20;
    private static final long QUIET_WINDOW_MS = 250;

    private final ModelRegistry registry;
    private final Duration duration;
    private final int clients = clients(Runtime.getRuntime().availableProcessors());
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    HttpWarmUp(ModelRegistry registry, @Value("${seqserve.predict.warm-up:}") Duration duration) {
        this.registry = registry;
        this.duration = duration != null
                ? duration
                : defaultDuration(startedFromJvmCache(ManagementFactory.getRuntimeMXBean()));
        if (this.duration.isZero() || this.duration.isNegative()) {
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

    /** How many of them were answered with another status than 200 (a row the signature refused, say). */
    public int requestsRefused() {
        return refused.get();
    }

    private void count(int status) {
        sent.incrementAndGet();
        if (status != 200) {
            refused.incrementAndGet();
        }
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
            List<Target> targets = targets();
            if (targets.isEmpty()) {
                return;
            }
            long start = System.nanoTime();
            long until = start + duration.toNanos();
            long loadUntil = start + duration.toNanos() * 7 / 8;
            // Every version's own conversions a few times, timed; then each engine's quickest version carries the
            // bulk, so a slow model does not slow the warm-up of the path they all share.
            Map<String, Target> quickest = new LinkedHashMap<>();
            Map<Target, Long> took = new LinkedHashMap<>();
            try (WarmUpClient client = new WarmUpClient(port)) {
                for (Target target : targets) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < PER_VERSION; i++) {
                        count(client.send(target.versioned()));
                    }
                    took.put(target, System.nanoTime() - t0);
                    quickest.merge(target.engine(), target, (a, b) -> took.get(a) <= took.get(b) ? a : b);
                }
            }
            List<byte[]> bulk = quickest.values().stream().map(Target::bulk).toList();
            List<Thread> drivers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                Thread t = new Thread(() -> drive(port, bulk, first, loadUntil), "http-warm-up-" + c);
                t.setDaemon(true);
                t.start();
                drivers.add(t);
            }
            for (Thread t : drivers) {
                t.join();
            }
            long requested = System.nanoTime();
            awaitQuietCompiler(until);
            log.info(
                    "HTTP warm-up: {} :predict requests ({} not answered 200) from {} client(s) to {} model version(s)"
                            + " in {} ms, then {} ms for the JIT compiler to finish",
                    sent.get(),
                    refused.get(),
                    clients,
                    targets.size(),
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

    /**
     * How many warm-up clients run at once: one per core, at most 8. Few: the scheduler shares the cores among all
     * runnable threads, so each client (with its request and worker threads) takes CPU from the JIT's optimising
     * compiler threads. With 8 clients on 2 cores and one such thread it compiled 9-39 methods a second under the
     * warm-up's load against 250 when the load stopped (bench/README.md, "Warm-up that leaves the compiler a core").
     * With two such threads on 2 cores (the image's, {@code deploy/docker/seqserve-java}) and a 6 s warm-up, the first
     * 10 s after ready ran at 74-83 % of the steady state after two clients, 64 % and 74 % after one (bench/README.md,
     * "Two compiler threads on two cores").
     */
    static int clients(int cores) {
        return Math.max(1, Math.min(8, cores));
    }

    /**
     * 8 s, or 6 s for a JVM started from an ahead-of-time cache: it starts with the training run's method profiles, and
     * the image gives it a second optimising compiler thread on small machines ({@code deploy/docker/seqserve-java}).
     * On 2 cores that JVM's first 10 s after ready ran at 74-83 % of the steady state after 6 s, 75-91 % after 8 s,
     * and it was ready about 2 s sooner. The JVM without a cache ran at 42-47 % after 6 s, 53-57 % after 8 s
     * (bench/README.md, "Two compiler threads on two cores").
     */
    static Duration defaultDuration(boolean fromJvmCache) {
        return Duration.ofSeconds(fromJvmCache ? 6 : 8);
    }

    static boolean startedFromJvmCache(RuntimeMXBean runtime) {
        return runtime.getInputArguments().stream().anyMatch(arg -> arg.startsWith("-XX:AOTCache="));
    }

    /**
     * Waits until the JIT compilers are quiet: over {@value #QUIET_WINDOW_MS} ms they compiled for less than a tenth of
     * it (or {@code until}). Not "compiled nothing": an idle JVM still compiles a small method now and then, and a wait
     * for none ran to its limit with the compiler threads idle (bench/README.md, "Two compiler threads on two cores").
     */
    private static void awaitQuietCompiler(long until) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long last = jit.getTotalCompilationTime();
        for (long left; (left = (until - System.nanoTime()) / 1_000_000) > 0; ) {
            Thread.sleep(Math.min(QUIET_WINDOW_MS, left));
            long now = jit.getTotalCompilationTime();
            if (now - last < QUIET_WINDOW_MS / 10) {
                return;
            }
            last = now;
        }
    }

    /** Requests back to back, taking turns over {@code requests} from {@code first}. */
    private void drive(int port, List<byte[]> requests, int first, long until) {
        try (WarmUpClient client = new WarmUpClient(port)) {
            for (int i = first; System.nanoTime() < until && sent.get() < REQUESTS; i++) {
                count(client.send(requests.get(i % requests.size())));
            }
        } catch (IOException e) {
            log.debug("HTTP warm-up client stopped: {}", e.toString());
        }
    }

    /**
     * A version the warm-up calls: its request on the version's own path, and on the model's bare path (what most
     * clients call) when a bare name serves this version.
     */
    private record Target(String engine, byte[] versioned, byte[] bare) {
        byte[] bulk() {
            return bare != null ? bare : versioned;
        }
    }

    /** Every available version whose inputs JSON can carry, with a row of its signature. */
    private List<Target> targets() {
        List<Target> targets = new ArrayList<>();
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
                    instance = row(inputs.get(0));
                } else {
                    Map<String, Object> named = new LinkedHashMap<>();
                    inputs.forEach(input -> named.put(input.name(), row(input)));
                    instance = named;
                }
                byte[] body = StrictJson.MAPPER.writeValueAsBytes(Map.of("instances", List.of(instance)));
                String path = "/v1/models/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
                targets.add(new Target(
                        version.engine(),
                        WarmUpClient.post(path + "/versions/" + version.version() + ":predict", body),
                        sameVersion(version, name) ? WarmUpClient.post(path + ":predict", body) : null));
            }
        }
        return targets;
    }

    /** Whether a bare name serves {@code version} (another version, or none, may answer by the time it is sent). */
    private boolean sameVersion(ModelVersion version, String name) {
        try {
            return registry.resolve(name, null, null).version() == version.version();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Nested lists for one row of {@code input} (dimension 0 dropped): decimals, or zeros for other types. */
    private static Object row(TensorSpec input) {
        long[] shape = WarmUp.shape(input, 1);
        boolean decimal = input.dtype().isFloating();
        return nested(shape, 1, decimal, new int[1]);
    }

    private static Object nested(long[] shape, int axis, boolean decimal, int[] count) {
        if (axis == shape.length) {
            return decimal ? Math.sin(++count[0]) : 0;
        }
        List<Object> list = new ArrayList<>((int) shape[axis]);
        for (long i = 0; i < shape[axis]; i++) {
            list.add(nested(shape, axis + 1, decimal, count));
        }
        return list;
    }
}
