import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live sessions against a running seqserve (bench/sessions/run.sh starts one): per-observation latency and model
 * time of a session against resending the whole history to :forecast, at 24, 1,000 and 10,000 points; aggregate
 * observations/s with 1,000 sessions observing at once; memory per session. Models: gru-live and gru-fc, two
 * copies of the same stateful GRU (so each has its own model-time meters).
 * Usage: java bench/sessions/SessionBench.java PORT SERVER_PID [seconds] [warmup-seconds]
 */
public class SessionBench {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .executor(java.util.concurrent.Executors.newFixedThreadPool(4))
            .build();
    static String base;
    static long pid;

    public static void main(String[] args) throws Exception {
        base = "http://127.0.0.1:" + args[0];
        pid = Long.parseLong(args[1]);
        String mode = args[2];
        double[] series = synthetic(10_300);
        switch (mode) {
            case "warmup" -> warmup(series, Integer.parseInt(args[3]));
            case "latency" -> latency(series);
            case "open" -> java.nio.file.Files.write(java.nio.file.Path.of(args[4]), open(Integer.parseInt(args[3]), series, 24));
            case "close" -> close(java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[3])));
            case "passes" -> {
                double[] rows = meters("seqserve_session_step_rows");
                double[] model = meter("gru-live");
                System.out.printf(Locale.ROOT, "%.0f %.0f %.6f%n", rows[0], rows[1], model[0]);
            }
            case "memory" -> memory(series);
            default -> throw new IllegalArgumentException(mode);
        }
        System.exit(0); // the client's executor threads would keep the JVM alive
    }

    static void warmup(double[] series, int warmup) throws Exception {

        System.out.printf("warm-up %d s (sessions observing, forecasts at every length)%n", warmup);
        long until = System.nanoTime() + warmup * 1_000_000_000L;
        for (int n : new int[] {24, 1000, 10_000}) {
            forecast(Arrays.copyOf(series, n));
        }
        List<String> warm = open(200, series, 24);
        drive(warm, series, Math.max(1, (int) ((until - System.nanoTime()) / 1_000_000_000L)));
        close(warm);
    }

    static void latency(double[] series) throws Exception {

        System.out.println();
        System.out.println("| history | session: p50 / p99 per observation | session: model time per observation |"
                + " resend to :forecast: p50 / p99 | resend: model time per call | model time ratio |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int n : new int[] {24, 1000, 10_000}) {
            int calls = n >= 10_000 ? 100 : 300;
            String id = open(1, series, n).get(0);
            double[] before = meter("gru-live");
            long[] sessionLatency = new long[calls];
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                call("POST", "/v1/sessions/" + id + ":observe", "{\"observations\":[" + series[n + i] + "]}", 200);
                sessionLatency[i] = System.nanoTime() - t;
            }
            double[] after = meter("gru-live");
            double sessionModel = (after[0] - before[0]) / calls;
            close(List.of(id));
            before = meter("gru-fc");
            long[] resendLatency = new long[calls];
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                forecast(Arrays.copyOf(series, n + i + 1));
                resendLatency[i] = System.nanoTime() - t;
            }
            after = meter("gru-fc");
            double resendModel = (after[0] - before[0]) / calls;
            System.out.printf(Locale.ROOT, "| %,d | %s / %s | %s | %s / %s | %s | %.0fx |%n",
                    n, ms(pct(sessionLatency, 50)), ms(pct(sessionLatency, 99)), ms(sessionModel * 1e9),
                    ms(pct(resendLatency, 50)), ms(pct(resendLatency, 99)), ms(resendModel * 1e9),
                    resendModel / sessionModel);
        }

    }

    static void memory(double[] series) throws Exception {
        System.out.println();
        gc();
        double heap0 = jvm("jvm_memory_used_bytes", "area=\"heap\"");
        double direct0 = jvm("jvm_buffer_memory_used_bytes", "id=\"direct\"");
        List<String> tenThousand = open(10_000, series, 24);
        gc();
        double heap1 = jvm("jvm_memory_used_bytes", "area=\"heap\"");
        double direct1 = jvm("jvm_buffer_memory_used_bytes", "id=\"direct\"");
        double accounted = jvm("seqserve_sessions_state_bytes", "");
        System.out.printf(Locale.ROOT,
                "memory per session (10,000 sessions of the GRU(32), history 24): heap %,.0f B + direct %,.0f B"
                        + " (state tensors) = %,.0f B; counted against max-state-bytes: %,.0f B%n",
                (heap1 - heap0) / 10_000, (direct1 - direct0) / 10_000, (heap1 - heap0 + direct1 - direct0) / 10_000,
                accounted / 10_000);
        close(tenThousand);
    }

    record Result(long count, long errors, long p50, long p99) {}

    /** Every session observes in a closed loop (its next value once the last answered), all at once. */
    static Result drive(List<String> ids, double[] series, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int s = 0; s < ids.size(); s++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop(ids.get(s), series, 24 + s % 100, end, count, errors, latencies, done);
            loops.add(done);
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
        long[] l = latencies.stream().mapToLong(Long::longValue).toArray();
        return new Result(count.get(), errors.get(), pct(l, 50), pct(l, 99));
    }

    static void loop(String id, double[] series, int t, long end, AtomicLong count, AtomicLong errors,
            ConcurrentLinkedQueue<Long> latencies, CompletableFuture<Void> done) {
        if (System.nanoTime() > end) {
            done.complete(null);
            return;
        }
        long start = System.nanoTime();
        HTTP.sendAsync(request("POST", "/v1/sessions/" + id + ":observe",
                        "{\"observations\":[" + series[t % series.length] + "]}"),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                        errors.incrementAndGet();
                    } else {
                        count.incrementAndGet();
                        latencies.add(System.nanoTime() - start);
                    }
                    loop(id, series, t + 1, end, count, errors, latencies, done);
                });
    }

    /** Opens {@code n} sessions on gru-live with {@code history} points each, 32 at a time. */
    static List<String> open(int n, double[] series, int history) throws Exception {
        String body = "{\"history\":" + Arrays.toString(Arrays.copyOf(series, history)) + ",\"ttl_seconds\":3600}";
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < n; from += 32) {
            List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 32); i++) {
                batch.add(HTTP.sendAsync(request("POST", "/v1/models/gru-live/sessions", body),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var f : batch) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("open: " + r.statusCode() + " " + r.body());
                }
                Matcher m = Pattern.compile("\"id\":\"(ls_[0-9a-f]+)\"").matcher(r.body());
                m.find();
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    static void close(List<String> ids) throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
        for (String id : ids) {
            all.add(HTTP.sendAsync(request("DELETE", "/v1/sessions/" + id, null), HttpResponse.BodyHandlers.discarding()));
            if (all.size() == 64) {
                all.forEach(CompletableFuture::join);
                all.clear();
            }
        }
        all.forEach(CompletableFuture::join);
    }

    static void forecast(double[] values) throws Exception {
        call("POST", "/v1/models/gru-fc:forecast",
                "{\"series\":[{\"id\":\"s\",\"values\":" + Arrays.toString(values) + "}],\"horizon\":1}", 200);
    }

    static String call(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Model time of {@code model}: seqserve_inference_duration_seconds sum and count. */
    static double[] meter(String model) throws Exception {
        double sum = 0;
        double count = 0;
        for (String line : call("GET", "/actuator/prometheus", null, 200).split("\n")) {
            if (line.contains("model=\"" + model + "\"")) {
                if (line.startsWith("seqserve_inference_duration_seconds_sum")) {
                    sum += value(line);
                } else if (line.startsWith("seqserve_inference_duration_seconds_count")) {
                    count += value(line);
                }
            }
        }
        return new double[] {sum, count};
    }

    static double[] meters(String name) throws Exception {
        double sum = 0;
        double count = 0;
        for (String line : call("GET", "/actuator/prometheus", null, 200).split("\n")) {
            if (line.startsWith(name + "_sum")) {
                sum += value(line);
            } else if (line.startsWith(name + "_count")) {
                count += value(line);
            }
        }
        return new double[] {sum, count};
    }

    static double jvm(String name, String labels) throws Exception {
        double total = 0;
        for (String line : call("GET", "/actuator/prometheus", null, 200).split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labels)) {
                total += value(line);
            }
        }
        return total;
    }

    static void gc() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            Thread.sleep(500);
        }
    }

    static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    static long pct(long[] values, int p) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    /** Sunspot-like cycles with noise (the real sunspots series has 309 points; the bench needs 10,300). */
    static double[] synthetic(int n) {
        java.util.Random random = new java.util.Random(7);
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            double cycle = Math.sin(2 * Math.PI * t / 11.0);
            out[t] = Math.round(Math.max(0, 50 + 45 * cycle + 10 * random.nextGaussian()) * 10) / 10.0;
        }
        return out;
    }
}
