package io.seqserve.deploy;

import static io.seqserve.deploy.DeployFiles.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqserve.runtime.RuntimeProperties;
import io.seqserve.testing.ServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the Kubernetes manifests (each overlay of k8s/, rendered) must agree with in the running
 * application: ports, probe paths, shutdown timing, configuration keys, the autoscaling metric and
 * the scrape path.
 */
class KubernetesManifestsTest extends ServerTest {

    private static final Map<Path, List<ObjectNode>> RENDERED = new LinkedHashMap<>();

    @Autowired
    ApplicationContext context;

    @Autowired
    Environment environment;

    @Autowired
    RuntimeProperties runtime;

    @BeforeAll
    static void render() throws IOException {
        for (Path overlay : OVERLAYS) {
            RENDERED.put(overlay, Kustomize.render(overlay));
        }
    }

    @Test
    void rendersAsKustomizeDoes() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        assumeTrue(
                Files.isExecutable(kubectl), "kubectl (with kustomize) not installed: rendered by Kustomize.java only");
        for (Path overlay : OVERLAYS) {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", overlay.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
            Map<String, JsonNode> expected = new HashMap<>();
            Kustomize.YAML
                    .readerFor(JsonNode.class)
                    .<JsonNode>readValues(output)
                    .forEachRemaining(o -> expected.put(key(o), o));
            Map<String, JsonNode> ours =
                    RENDERED.get(overlay).stream().collect(Collectors.toMap(KubernetesManifestsTest::key, o -> o));
            assertThat(ours).as(overlay.toString()).isEqualTo(expected);
        }
    }

    @Test
    void containersListenOnTheServerPortAndServicesReachThem() {
        RENDERED.forEach((overlay, objects) -> {
            for (JsonNode deployment : all(objects, "Deployment")) {
                assertThat(container(deployment)
                                .path("ports")
                                .get(0)
                                .path("containerPort")
                                .asInt())
                        .as("%s %s containerPort", overlay, name(deployment))
                        .isEqualTo(DeployFiles.serverPort());
            }
            for (JsonNode service : all(objects, "Service")) {
                JsonNode pods = selected(objects, service.at("/spec/selector"));
                Set<String> portNames = values(container(pods).path("ports")).stream()
                        .map(p -> p.path("name").asString())
                        .collect(Collectors.toSet());
                assertThat(portNames)
                        .as("%s service %s targetPort", overlay, name(service))
                        .contains(service.at("/spec/ports/0/targetPort").asString());
            }
        });
    }

    @Test
    void probesAnswerOnTheRunningApplication() throws Exception {
        for (List<ObjectNode> objects : RENDERED.values()) {
            for (JsonNode deployment : all(objects, "Deployment")) {
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    JsonNode httpGet = container(deployment).path(probe).path("httpGet");
                    assertThat(httpGet.path("port").asString()).as(probe).isEqualTo("http");
                    String path = httpGet.path("path").asString();
                    assertThat(get(path).statusCode())
                            .as("%s %s %s", name(deployment), probe, path)
                            .isEqualTo(200);
                }
                assertThat(container(deployment)
                                .at("/readinessProbe/httpGet/path")
                                .asString())
                        .endsWith("/readiness");
                assertThat(container(deployment)
                                .at("/livenessProbe/httpGet/path")
                                .asString())
                        .endsWith("/liveness");
            }
        }
    }

    @Test
    void shutdownDrainsWithinTheGracePeriod() {
        RENDERED.forEach((overlay, objects) -> {
            JsonNode config = find(objects, "ConfigMap", "seqserve-config").path("data");
            Duration phase = duration(
                    config,
                    "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE",
                    environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", "30s"));
            Duration drain = duration(
                    config,
                    "SEQSERVE_RUNTIME_DRAINTIMEOUT",
                    runtime.drainTimeout().toSeconds() + "s");
            for (JsonNode deployment : all(objects, "Deployment")) {
                JsonNode command = container(deployment).at("/lifecycle/preStop/exec/command");
                assertThat(command.get(0).asString()).isEqualTo("sleep");
                long needed = Long.parseLong(command.get(1).asString()) + phase.toSeconds() + drain.toSeconds();
                assertThat(deployment
                                .at("/spec/template/spec/terminationGracePeriodSeconds")
                                .asLong())
                        .as("%s %s: grace period > preStop + HTTP drain + worker drain", overlay, name(deployment))
                        .isGreaterThan(needed);
            }
        });
    }

    @Test
    void configurationKeysSetPropertiesTheApplicationHas() {
        Set<String> known = DeployFiles.knownProperties(context);
        RENDERED.values().forEach(objects -> {
            find(objects, "ConfigMap", "seqserve-config")
                    .path("data")
                    .propertyNames()
                    .forEach(key -> assertThat(DeployFiles.propertySetBy(key, known))
                            .as("ConfigMap key %s", key)
                            .isPresent());
            all(objects, "Deployment")
                    .forEach(d -> values(container(d).path("env")).stream()
                            .map(e -> e.path("name").asString())
                            .filter(n -> n.startsWith("SEQSERVE_") || n.startsWith("SPRING_"))
                            .forEach(n -> assertThat(DeployFiles.propertySetBy(n, known))
                                    .as("env %s", n)
                                    .isPresent()));
        });
    }

    @Test
    void mountsWhereTheImageAndConfigurationExpectThem() {
        Map<String, String> image = DeployFiles.dockerfileEnv();
        RENDERED.values().forEach(objects -> {
            JsonNode config = find(objects, "ConfigMap", "seqserve-config").path("data");
            for (JsonNode deployment : all(objects, "Deployment")) {
                Set<String> mounts = values(container(deployment).path("volumeMounts")).stream()
                        .map(m -> m.path("mountPath").asString())
                        .collect(Collectors.toSet());
                assertThat(mounts)
                        .as(name(deployment))
                        .contains(
                                config.path("SEQSERVE_MODELS_ROOT").asString(),
                                config.path("SEQSERVE_DATA_DIR").asString(),
                                "/tmp",
                                Path.of(image.get("DJL_CACHE_DIR")).getParent().toString());
                assertThat(container(deployment)
                                .at("/securityContext/readOnlyRootFilesystem")
                                .asBoolean())
                        .isTrue();
                assertThat(deployment
                                .at("/spec/template/spec/securityContext/runAsUser")
                                .asString())
                        .isEqualTo(DeployFiles.dockerfileUser());
            }
        });
    }

    @Test
    void autoscalesOnMetricsTheApplicationExports() throws Exception {
        Set<String> exported =
                DeployFiles.exportedMetrics(get("/actuator/prometheus").body());
        JsonNode rules = DeployFiles.yaml(DeployFiles.K8S.resolve("prometheus-adapter/values.yaml"))
                .at("/rules/custom");
        Map<String, JsonNode> adapterMetrics = new HashMap<>();
        for (JsonNode rule : rules) {
            assertThat(exported)
                    .as("series of %s", rule.path("seriesQuery"))
                    .containsAll(DeployFiles.metricsIn(rule.path("seriesQuery").asString()));
            assertThat(rule.path("seriesQuery").asString()).contains("pod!=\"\"", "namespace!=\"\"");
            assertThat(rule.at("/resources/overrides/pod/resource").asString()).isEqualTo("pod");
            adapterMetrics.put(rule.at("/name/as").asString(), rule);
        }
        RENDERED.forEach((overlay, objects) -> {
            JsonNode hpa = find(objects, "HorizontalPodAutoscaler", "seqserve");
            assertThat(hpa.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
            JsonNode target = find(
                    objects,
                    hpa.at("/spec/scaleTargetRef/kind").asString(),
                    hpa.at("/spec/scaleTargetRef/name").asString());
            assertThat(target.at("/metadata/labels/app.kubernetes.io~1component")
                            .asString())
                    .isEqualTo("serving");
            List<JsonNode> pods = values(hpa.at("/spec/metrics")).stream()
                    .filter(m -> m.path("type").asString().equals("Pods"))
                    .toList();
            assertThat(pods).as("%s: a per-pod metric", overlay).isNotEmpty();
            for (JsonNode metric : pods) {
                String name = metric.at("/pods/metric/name").asString();
                assertThat(exported).as("%s exported by the app", name).contains(name);
                assertThat(adapterMetrics)
                        .as("%s served by a prometheus-adapter rule", name)
                        .containsKey(name);
            }
            boolean cpu = values(hpa.at("/spec/metrics")).stream()
                    .anyMatch(m -> m.at("/resource/name").asString().equals("cpu"));
            assertThat(cpu).as("%s scales on CPU", overlay).isEqualTo(overlay.endsWith("cpu"));
            if (cpu) {
                assertThat(container(target).at("/resources/requests/cpu").isMissingNode())
                        .as("CPU utilisation needs a request")
                        .isFalse();
            }
        });
    }

    @Test
    void serviceMonitorScrapesThePrometheusEndpoint() throws Exception {
        for (List<ObjectNode> objects : RENDERED.values()) {
            JsonNode monitor = find(objects, "ServiceMonitor", "seqserve");
            JsonNode endpoint = monitor.at("/spec/endpoints/0");
            assertThat(endpoint.path("path").asString()).isEqualTo("/actuator/prometheus");
            assertThat(get(endpoint.path("path").asString()).body()).contains("seqserve_inflight_requests");
            for (JsonNode service : all(objects, "Service")) {
                assertThat(labelsMatch(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels")))
                        .as(name(service))
                        .isTrue();
                assertThat(service.at("/spec/ports/0/name").asString())
                        .isEqualTo(endpoint.path("port").asString());
            }
        }
    }

    @Test
    void trainerOwnsTheWritesOnTheSharedVolumes() {
        RENDERED.values().forEach(objects -> {
            JsonNode serving = find(objects, "Deployment", "seqserve");
            JsonNode trainer = find(objects, "Deployment", "seqserve-trainer");
            assertThat(trainer.at("/spec/replicas").asInt()).isEqualTo(1);
            assertThat(trainer.at("/spec/strategy/type").asString()).isEqualTo("Recreate");
            assertThat(claim(serving, "models"))
                    .isEqualTo(claim(trainer, "models"))
                    .isEqualTo("seqserve-models");
            assertThat(find(objects, "PersistentVolumeClaim", "seqserve-models")
                            .at("/spec/accessModes")
                            .toString())
                    .contains("ReadWriteMany");
            assertThat(mount(serving, "models").path("readOnly").asBoolean()).isTrue();
            assertThat(mount(trainer, "models").path("readOnly").asBoolean()).isFalse();
            assertThat(claim(trainer, "data")).isEqualTo("seqserve-data");
            assertThat(container(serving).path("env").toString()).doesNotContain("SEQSERVE_SECURITY_TOKEN");
            assertThat(container(trainer).path("env").toString()).contains("SEQSERVE_SECURITY_TOKEN", "secretKeyRef");
            JsonNode pdb = find(objects, "PodDisruptionBudget", "seqserve").at("/spec/selector/matchLabels");
            assertThat(labelsMatch(pdb, serving.at("/spec/template/metadata/labels")))
                    .isTrue();
            assertThat(labelsMatch(pdb, trainer.at("/spec/template/metadata/labels")))
                    .isFalse();
        });
    }

    @Test
    void gpuOverlayGivesEachPodOneGpu() {
        RENDERED.forEach((overlay, objects) -> {
            boolean gpu = overlay.endsWith("gpu");
            for (JsonNode deployment : all(objects, "Deployment")) {
                JsonNode limit = container(deployment).at("/resources/limits/nvidia.com~1gpu");
                assertThat(limit.isMissingNode())
                        .as("%s %s GPU limit", overlay, name(deployment))
                        .isEqualTo(!gpu);
                assertThat(deployment
                                .at("/spec/template/spec/tolerations")
                                .toString()
                                .contains("nvidia.com/gpu"))
                        .isEqualTo(gpu);
                assertThat(container(deployment).path("image").asString()).endsWith(gpu ? ":gpu" : ":cpu");
                if (gpu) {
                    assertThat(limit.asInt()).isEqualTo(1);
                }
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String key(JsonNode object) {
        return object.path("kind").asString() + "/"
                + object.at("/metadata/name").asString();
    }

    private static String name(JsonNode object) {
        return object.at("/metadata/name").asString();
    }

    private static List<JsonNode> values(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<ObjectNode> all(List<ObjectNode> objects, String kind) {
        return objects.stream()
                .filter(o -> o.path("kind").asString().equals(kind))
                .toList();
    }

    private static JsonNode find(List<ObjectNode> objects, String kind, String name) {
        return all(objects, kind).stream()
                .filter(o -> name(o).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    private static JsonNode selected(List<ObjectNode> objects, JsonNode selector) {
        List<ObjectNode> matching = all(objects, "Deployment").stream()
                .filter(d -> labelsMatch(selector, d.at("/spec/template/metadata/labels")))
                .toList();
        assertThat(matching).as("pods selected by %s", selector).hasSize(1);
        return matching.get(0);
    }

    private static boolean labelsMatch(JsonNode selector, JsonNode labels) {
        return selector.properties().stream()
                .allMatch(e ->
                        labels.path(e.getKey()).asString().equals(e.getValue().asString()));
    }

    private static JsonNode mount(JsonNode deployment, String volume) {
        return values(container(deployment).path("volumeMounts")).stream()
                .filter(m -> m.path("name").asString().equals(volume))
                .findFirst()
                .orElseThrow();
    }

    private static String claim(JsonNode deployment, String volume) {
        return values(deployment.at("/spec/template/spec/volumes")).stream()
                .filter(v -> v.path("name").asString().equals(volume))
                .findFirst()
                .orElseThrow()
                .at("/persistentVolumeClaim/claimName")
                .asString();
    }

    private static Duration duration(JsonNode config, String key, String fallback) {
        return DurationStyle.detectAndParse(config.has(key) ? config.path(key).asString() : fallback);
    }
}
