package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.RequiresTool;
import io.seqserve.testing.ServerTest;
import io.seqserve.testing.Tool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Prometheus (Debian's {@code prometheus} package, which .ci/run installs) scrapes the
 * running application with the ServiceMonitor's path and the labels prometheus-operator attaches,
 * then answers the query prometheus-adapter sends for the HPA's per-pod metric, and every dashboard
 * and alert expression parses.
 */
@RequiresTool(Tool.PROMETHEUS)
class PrometheusScrapeTest extends ServerTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String NAMESPACE = "seqserve-test";
    private static final String POD = "seqserve-0";

    @TempDir
    Path work;

    private int prometheusPort;

    @Test
    void prometheusScrapesTheAppAndAnswersTheAutoscalersQuery() throws Exception {
        Process prometheus = start();
        try {
            assertThat(post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0]}")
                            .statusCode())
                    .isEqualTo(200);
            awaitQuery(
                    "seqserve_requests_total{model=\"half_plus_two\",outcome=\"success\",pod=\"" + POD + "\"}",
                    result -> result.size() == 1 && result.at("/0/value/1").asDouble() >= 1);

            String metric = DeployFiles.yaml(DeployFiles.K8S.resolve("base/hpa.yaml"))
                    .at("/spec/metrics/0/pods/metric/name")
                    .asString();
            JsonNode rule = adapterRule(metric);
            JsonNode series = api("/api/v1/series?match[]="
                            + encode(rule.path("seriesQuery").asString()))
                    .path("data");
            assertThat(series.findValuesAsString("pod"))
                    .as("series the adapter discovers")
                    .contains(POD);

            String query = rule.path("metricsQuery")
                    .asString()
                    .replace(
                            "<<.Series>>",
                            DeployFiles.metricsIn(rule.path("seriesQuery").asString())
                                    .iterator()
                                    .next())
                    .replace("<<.LabelMatchers>>", "namespace=\"" + NAMESPACE + "\",pod=~\"" + POD + "\"")
                    .replace("<<.GroupBy>>", "pod");
            JsonNode result = awaitQuery(query, r -> r.size() == 1);
            assertThat(result.at("/0/metric/pod").asString()).isEqualTo(POD);
            assertThat(result.at("/0/value/1").asDouble())
                    .as("%s per pod", metric)
                    .isGreaterThanOrEqualTo(0);

            for (String expression : ComposeAndImageTest.queries()) {
                String concrete = expression.replace("$__rate_interval", "1m").replace("$model", ".*");
                assertThat(api("/api/v1/query?query=" + encode(concrete))
                                .path("status")
                                .asString())
                        .as(expression)
                        .isEqualTo("success");
            }
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor();
            }
        }
    }

    /** Prometheus on a free loopback port, everything it writes under the test's temp dir. */
    private Process start() throws IOException, InterruptedException {
        prometheusPort = freePort();
        String path = DeployFiles.yaml(DeployFiles.K8S.resolve("base/servicemonitor.yaml"))
                .at("/spec/endpoints/0/path")
                .asString();
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: seqserve
                    metrics_path: %s
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                        labels: {namespace: %s, pod: %s}
                """.formatted(path, port, NAMESPACE, POD));
        Process process = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + work.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort,
                        "--log.level=warn")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile())
                .start();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ready()) {
            assertThat(process.isAlive()).as(() -> log()).isTrue();
            assertThat(System.nanoTime()).as("Prometheus ready in time").isLessThan(until);
            Thread.sleep(200);
        }
        return process;
    }

    private boolean ready() {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(work.resolve("prometheus.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private JsonNode awaitQuery(String query, Predicate<JsonNode> done) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode response = api("/api/v1/query?query=" + encode(query));
            assertThat(response.path("status").asString())
                    .as(query + ": " + response)
                    .isEqualTo("success");
            JsonNode result = response.at("/data/result");
            if (done.test(result)) {
                return result;
            }
            assertThat(System.nanoTime())
                    .as("%s answered in time; last: %s", query, result)
                    .isLessThan(until);
            Thread.sleep(250);
        }
    }

    private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static JsonNode adapterRule(String metric) {
        for (JsonNode rule : DeployFiles.yaml(DeployFiles.K8S.resolve("prometheus-adapter/values.yaml"))
                .at("/rules/custom")) {
            if (rule.at("/name/as").asString().equals(metric)) {
                return rule;
            }
        }
        throw new AssertionError("no prometheus-adapter rule serves " + metric);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A free port in 17000-17999 on loopback. */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int candidate = 17000 + (int) (ProcessHandle.current().pid() % 900); candidate < 18000; candidate++) {
            try (ServerSocket socket = new ServerSocket(candidate, 1, loopback)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IOException("no free port in 17000-17999");
    }
}
