package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What the Dockerfile, the layered jar, docker-compose.yml, the Prometheus config and the Grafana
 * dashboard must agree with in the running application and in each other.
 */
class ComposeAndImageTest extends ServerTest {

    /** Per-model meters registered on first use: they appear once a model has generated or trained. */
    private static final Pattern ON_FIRST_USE = Pattern.compile("seqserve_(generated_tokens_total|training_loss"
            + "|forecast_(scored_points|absolute_error|naive_absolute_error|interval_points|interval_covered)_total"
            + "|forecast_actuals_total|forecast_actuals_last_received_timestamp_seconds)");

    @Autowired
    ApplicationContext context;

    @Test
    void imageListensOnTheServerPortAndItsHealthcheckAnswers() throws Exception {
        int port = DeployFiles.serverPort();
        assertThat(DeployFiles.dockerfile("EXPOSE")).containsExactly(String.valueOf(port));
        String healthcheck = DeployFiles.dockerfile("HEALTHCHECK").get(0);
        Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/\\S*)").matcher(healthcheck);
        assertThat(url.find()).as(healthcheck).isTrue();
        assertThat(Integer.parseInt(url.group(1))).isEqualTo(port);
        assertThat(get(url.group(2)).statusCode()).isEqualTo(200);
        assertThat(healthcheck).contains("curl");
        assertThat(String.join(" ", DeployFiles.dockerfile("RUN"))).contains("install", "curl");
    }

    @Test
    void imageRunsAsAnUnprivilegedUserWithModelsAndDataAsVolumes() {
        assertThat(Integer.parseInt(DeployFiles.dockerfileUser())).isPositive();
        Map<String, String> env = DeployFiles.dockerfileEnv();
        String volumes = DeployFiles.dockerfile("VOLUME").get(0);
        assertThat(volumes)
                .contains("\"" + env.get("SEQSERVE_MODELS_ROOT") + "\"", "\"" + env.get("SEQSERVE_DATA_DIR") + "\"");
        assertThat(env).containsEntry("MALLOC_ARENA_MAX", "2");
        assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=55");
        Set<String> known = DeployFiles.knownProperties(context);
        env.keySet().stream()
                .filter(k -> k.startsWith("SEQSERVE_"))
                .forEach(k -> assertThat(DeployFiles.propertySetBy(k, known))
                        .as("ENV %s", k)
                        .isPresent());
        assertThat(DeployFiles.dockerfileEntrypoint().get(0)).isEqualTo("seqserve-java");
    }

    /**
     * The final image holds the JVM cache its ENTRYPOINT names, recorded with the ENTRYPOINT's own JVM
     * options: a JVM started with other module or native-access options would not use it.
     */
    @Test
    void theEntrypointStartsFromTheJvmCacheTheBuildRecords() {
        List<String> entrypoint = DeployFiles.dockerfileEntrypoint();
        String cache = entrypoint.stream()
                .filter(a -> a.startsWith("-XX:AOTCache="))
                .findFirst()
                .orElseThrow()
                .substring("-XX:AOTCache=".length());
        assertThat(DeployFiles.dockerfile("COPY")).contains("--from=aot-training /tmp/seqserve.aot " + cache);
        String training = DeployFiles.dockerfileStages().get("aot-training").stream()
                .filter(i -> i[0].equals("RUN") && i[1].startsWith("train-aot-cache.sh"))
                .map(i -> i[1])
                .findFirst()
                .orElseThrow();
        assertThat(training).contains("/opt/seqserve/app/seqserve.jar", " /tmp/seqserve.aot ");
        List<String> options = entrypoint.subList(1, entrypoint.indexOf("-jar")).stream()
                .filter(a -> !a.startsWith("-XX:AOTCache="))
                .toList();
        assertThat(options).isNotEmpty();
        assertThat(training.split("\\s+")).contains(options.toArray(String[]::new));
    }

    /** The unpack script's patterns must find the libraries in the native jars the build really resolves. */
    @Test
    void enginesFindTheLibrariesTheImageUnpacks() throws IOException {
        String script = Files.readString(Path.of("deploy/docker/unpack-natives.sh"));
        Map<String, String> env = DeployFiles.dockerfileEnv();
        String natives = "/opt/seqserve/natives/";
        assertThat(env)
                .containsEntry("TENSORFLOW_LIBRARY_PATH", natives + "tensorflow")
                .containsEntry("PYTORCH_LIBRARY_PATH", natives + "pytorch");
        assertThat(DeployFiles.dockerfile("ENTRYPOINT").get(0))
                .contains("-Donnxruntime.native.path=" + natives + "onnxruntime");
        assertThat(DeployFiles.dockerfile("COPY"))
                .contains("--from=build /natives " + natives.substring(0, natives.length() - 1));
        assertThat(entries("tensorflow-native-", "native/lib/"))
                .contains("libtensorflow_cc.so.2", "libjnitensorflow.so");
        assertThat(env).containsEntry("PYTORCH_FLAVOR", "${PYTORCH_FLAVOR}");
        String flavor = DeployFiles.dockerfile("ARG").get(0).replace("PYTORCH_FLAVOR=", "");
        assertThat(entries("pytorch-native-" + flavor, "pytorch/" + flavor + "/linux-x86_64/"))
                .contains("libtorch.so");
        assertThat(entries("onnxruntime-1", "ai/onnxruntime/native/linux-x64/"))
                .contains("libonnxruntime.so", "libonnxruntime4j_jni.so");
        assertThat(script)
                .contains(
                        "'native/lib/*'",
                        "'pytorch/*/linux-x86_64/*'",
                        "'ai/onnxruntime/native/linux-x64/*'",
                        "$out/tensorflow",
                        "$out/pytorch",
                        "$out/onnxruntime");
        // PyTorch's JNI library, placed where DJL looks before it would extract one into a writable cache.
        assertThat(env).containsEntry("ENGINE_CACHE_DIR", natives + "engines");
        assertThat(entries("pytorch-jni-", "jnilib/linux-x86_64/" + flavor + "/"))
                .contains("libdjl_torch.so");
        assertThat(script)
                .contains(
                        "\"jnilib/linux-x86_64/$flavor/libdjl_torch.so\"",
                        "$out/engines/pytorch/",
                        "$pytorch_version-$flavor-linux-x86_64",
                        "$djl_version-libdjl_torch.so");
        String layers = Files.readString(Path.of("src/main/resources/layers.xml"));
        assertThat(layers)
                .contains(
                        "ai.djl.tensorflow:tensorflow-native-*",
                        "ai.djl.pytorch:pytorch-native-*",
                        "com.microsoft.onnxruntime:*");
    }

    /** The image build takes Maven from the local repository (LocalMavenMirror): the pom must fetch the wrapper's version. */
    @Test
    void thePomFetchesTheMavenTheWrapperRuns() throws IOException {
        Matcher version = Pattern.compile("<maven.distribution.version>([^<]+)</maven.distribution.version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).isTrue();
        assertThat(version.group(1)).isEqualTo(SeqserveImage.wrapperMavenVersion());
        // One Debian base for both stages: deploy/ci/base-images.sh reads it from ARG BASE_IMAGE and makes it where it
        // cannot be pulled.
        assertThat(SeqserveImage.baseImages()).singleElement().asString().startsWith("debian:");
        assertThat(Files.readString(Path.of("deploy/ci/base-images.sh"))).contains("s/^ARG BASE_IMAGE=//p");
    }

    private static List<String> entries(String jarPrefix, String directory) throws IOException {
        Path jar = classPath().stream()
                .filter(p -> p.getFileName().toString().startsWith(jarPrefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + jarPrefix + "* jar on the class path"));
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.startsWith(directory) && !n.endsWith("/"))
                    .forEach(n -> names.add(n.substring(directory.length())));
        }
        return names;
    }

    private static List<Path> classPath() {
        return Pattern.compile(java.io.File.pathSeparator)
                .splitAsStream(System.getProperty("java.class.path"))
                .map(Path::of)
                .toList();
    }

    @Test
    void composeWiresTheAppPrometheusAndGrafanaTogether() {
        JsonNode services = DeployFiles.yaml(Path.of("docker-compose.yml")).path("services");
        JsonNode app = services.path("seqserve");
        assertThat(app.path("ports").get(0).asString()).endsWith(":" + DeployFiles.serverPort());
        // Hardened as on Kubernetes: read-only root, /tmp the only writable place besides the volumes.
        assertThat(app.path("read_only").asBoolean()).isTrue();
        assertThat(app.path("tmpfs").toString()).contains("/tmp");
        assertThat(app.path("volumes").toString())
                .contains(
                        ":" + DeployFiles.dockerfileEnv().get("SEQSERVE_MODELS_ROOT") + "\"",
                        ":" + DeployFiles.dockerfileEnv().get("SEQSERVE_DATA_DIR") + "\"");

        JsonNode scrape =
                DeployFiles.yaml(Path.of("deploy/prometheus/prometheus.yml")).at("/scrape_configs/0");
        assertThat(scrape.path("metrics_path").asString()).isEqualTo("/actuator/prometheus");
        assertThat(scrape.at("/static_configs/0/targets/0").asString())
                .isEqualTo("seqserve:" + DeployFiles.serverPort());
        assertThat(services.path("prometheus").path("volumes").get(0).asString())
                .isEqualTo("./deploy/prometheus:/etc/prometheus:ro");

        JsonNode datasource = DeployFiles.yaml(Path.of("deploy/grafana/provisioning/datasources/prometheus.yml"))
                .at("/datasources/0");
        URI url = URI.create(datasource.path("url").asString());
        assertThat(services.has(url.getHost()))
                .as("datasource host is a compose service")
                .isTrue();
        assertThat(services.path(url.getHost()).path("ports").get(0).asString()).endsWith(":" + url.getPort());
        JsonNode provider = DeployFiles.yaml(Path.of("deploy/grafana/provisioning/dashboards/seqserve.yml"))
                .at("/providers/0");
        JsonNode grafana = services.path("grafana");
        assertThat(grafana.path("volumes").toString())
                .contains("./deploy/grafana/dashboards:"
                        + provider.at("/options/path").asString());
        assertThat(grafana.at("/environment/GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                        .asString())
                .isEqualTo(provider.at("/options/path").asString() + "/seqserve.json");
        JsonNode dashboard = DeployFiles.yaml(Path.of("deploy/grafana/dashboards/seqserve.json"));
        assertThat(dashboard.findValues("uid").stream().map(JsonNode::asString).filter(u -> !u.equals("seqserve")))
                .as("panels use the provisioned datasource")
                .allMatch(datasource.path("uid").asString()::equals);
    }

    @Test
    void dashboardAndAlertsQueryMetricsTheApplicationExports() throws Exception {
        post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0]}");
        Set<String> exported =
                DeployFiles.exportedMetrics(get("/actuator/prometheus").body());
        Set<String> queried = new TreeSet<>();
        queries().forEach(q -> queried.addAll(DeployFiles.metricsIn(q)));
        assertThat(queried)
                .contains(
                        "seqserve_requests_total",
                        "seqserve_request_duration_seconds_bucket",
                        "seqserve_queue_depth",
                        "seqserve_batch_size_bucket",
                        "seqserve_requests_rejected_total",
                        "seqserve_generated_tokens_total",
                        "seqserve_training_loss");
        queried.stream()
                .filter(m -> !ON_FIRST_USE.matcher(m).matches())
                .forEach(m ->
                        assertThat(exported).as("%s exported by the app", m).contains(m));
    }

    /** Every PromQL expression of the Grafana dashboard and the alert rules. */
    static List<String> queries() {
        List<String> queries = new ArrayList<>();
        DeployFiles.yaml(Path.of("deploy/grafana/dashboards/seqserve.json"))
                .findValues("expr")
                .forEach(e -> queries.add(e.asString()));
        DeployFiles.yaml(Path.of("deploy/prometheus/alerts.yml"))
                .findValues("expr")
                .forEach(e -> queries.add(e.asString()));
        return queries;
    }
}
