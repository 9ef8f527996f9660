package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.ContainerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real image, run the way the Kubernetes manifests run it and then some: read-only root file system
 * with only a (noexec) tmpfs on /tmp and the data volume writable, no network at all, every capability
 * dropped, no privilege escalation, the repository's demo models mounted read-only. Every demo version
 * must load and each engine (TensorFlow, PyTorch, ONNX Runtime) must predict its recorded value, so
 * nothing is fetched or unpacked at run time; the process runs as the image's non-root uid; the probes
 * answer and Docker's HEALTHCHECK reports healthy.
 */
@ContainerTest
class ContainerImageIT {

    private static final Path MODELS = Path.of("models").toAbsolutePath();
    private static TestVolume data;
    private static SeqserveContainer hardened;
    private static Duration ready;

    @BeforeAll
    static void start() throws Exception {
        String image = SeqserveImage.get();
        data = TestVolume.create();
        hardened = SeqserveContainer.of(image)
                .with(
                        "--read-only",
                        "--tmpfs",
                        "/tmp",
                        "--network",
                        "none",
                        "--cap-drop",
                        "ALL",
                        "--security-opt",
                        "no-new-privileges")
                .mount(MODELS.toString(), "/models", true)
                .mount(data.name(), "/data", false)
                .start();
        ready = hardened.awaitReady(Duration.ofMinutes(3));
        System.out.printf(
                "[container tests] read-only, network-less container ready %.1f s after docker run%n",
                ready.toMillis() / 1e3);
    }

    @AfterAll
    static void remove() {
        if (hardened != null) {
            hardened.close();
        }
        if (data != null) {
            data.close();
        }
    }

    @Test
    void answersItsProbesAndMetrics() {
        for (String path : List.of(
                "/livez", "/readyz", "/actuator/health/liveness", "/actuator/health/readiness", "/v2/health/ready")) {
            assertThat(hardened.call("GET", path, null).status()).as(path).isEqualTo(200);
        }
        assertThat(hardened.call("GET", "/actuator/prometheus", null).body()).contains("seqserve_inflight_requests");
    }

    @Test
    void dockerHealthcheckReportsHealthy() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String status;
        while (!(status = hardened.inspect("{{.State.Health.Status}}")).equals("healthy")) {
            assertThat(status).as("HEALTHCHECK status").isIn("starting", "healthy");
            assertThat(System.nanoTime()).as("HEALTHCHECK healthy in time").isLessThan(until);
            Thread.sleep(1000);
        }
    }

    @Test
    void everyDemoVersionLoadsWithNothingFetchedOrUnpacked() throws IOException {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode model : hardened.call("GET", "/v1/models", null).json().path("models")) {
            for (JsonNode version : model.path("versions")) {
                states.put(
                        model.path("name").asString() + "/"
                                + version.path("version").asInt(),
                        version.path("state").asString() + " "
                                + version.path("error").asString(""));
            }
        }
        try (Stream<Path> names = Files.list(MODELS)) {
            assertThat(states.keySet()).as("every model of models/ listed").hasSize((int)
                    names.filter(Files::isDirectory).count());
        }
        assertThat(states)
                .allSatisfy((version, state) -> assertThat(state).as(version).startsWith("available"));
    }

    @Test
    void predictsWithEachEngine() throws IOException {
        SeqserveContainer.Answer tensorflow =
                hardened.call("POST", "/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
        assertThat(tensorflow.json())
                .as(tensorflow.body())
                .isEqualTo(SeqserveContainer.JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"));
        String window = Files.readString(Path.of("bench/sunspots-instance.json"));
        for (String model : List.of("sunspots-lstm", "sunspots-lstm-onnx")) {
            SeqserveContainer.Answer answer = hardened.call("POST", "/v1/models/" + model + ":predict", window);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().at("/predictions/0/0").asDouble())
                    .as(model)
                    .isCloseTo(2.2185767, within(1e-4));
        }
        JsonNode formats =
                hardened.call("GET", "/v1/models/sunspots-lstm-onnx", null).json();
        assertThat(formats.path("format").asString()).isEqualTo("onnx");
    }

    @Test
    void runsAsTheImagesNonRootUid() {
        String uid = DeployFiles.dockerfileUser();
        assertThat(uid).isNotEqualTo("0");
        assertThat(hardened.inspect("{{.Config.User}}")).startsWith(uid + ":");
        // PID 1 is the JVM itself (exec-form ENTRYPOINT), with real, effective, saved and file-system uid all non-root.
        String status = hardened.exec("cat", "/proc/1/status");
        assertThat(status).contains("Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid);
        assertThat(hardened.exec("cat", "/proc/1/cmdline").replace('\0', ' ')).startsWith("java ");
    }

    @Test
    void startsFromTheJvmCacheRecordedAtBuild() {
        // A JVM that cannot use its -XX:AOTCache (another JDK, other JVM options, a jar changed after the
        // recording) logs an [error][aot] line and starts without it; one that uses it has the file mapped.
        assertThat(hardened.exec("cat", "/proc/1/cmdline").replace('\0', ' '))
                .contains("-XX:AOTCache=/opt/seqserve/app/seqserve.aot");
        assertThat(hardened.exec("cat", "/proc/1/maps")).contains("/opt/seqserve/app/seqserve.aot");
        assertThat(hardened.logs()).doesNotContain("][aot]", "][cds]");
    }

    @Test
    void givesTheJvmASecondC2ThreadBelowFourCpus() {
        // The ENTRYPOINT script (deploy/docker/seqserve-java) counts the container's CPUs as the JVM does; this
        // container has no CPU quota, so that is its CPU set.
        int cpus = Integer.parseInt(hardened.exec("nproc").strip());
        String cmdline = hardened.exec("cat", "/proc/1/cmdline").replace('\0', ' ');
        if (cpus < 4) {
            assertThat(cmdline).startsWith("java -XX:CICompilerCount=3 ");
        } else {
            assertThat(cmdline).doesNotContain("CICompilerCount");
        }
    }

    @Test
    void onlyTheVolumesAndTmpfsAreWritable() {
        assertThat(hardened.inspect("{{.HostConfig.ReadonlyRootfs}}")).isEqualTo("true");
        for (String path : List.of(
                "/opt/seqserve/app/probe", "/opt/seqserve/natives/probe", "/home/seqserve/probe", "/models/probe")) {
            Docker.Result touched = hardened.tryExec("touch", path);
            assertThat(touched.ok()).as("%s must not be writable", path).isFalse();
            assertThat(touched.output()).contains("Read-only file system");
        }
        for (String path : List.of("/tmp/probe", "/data/probe")) {
            assertThat(hardened.tryExec("touch", path).ok())
                    .as("%s writable", path)
                    .isTrue();
        }
        // The tmpfs is Docker's default noexec one: nothing the engines load may come from there.
        assertThat(hardened.exec("grep", " /tmp ", "/proc/mounts")).contains("noexec");
    }

    @Test
    void hasNoNetworkButLoopback() {
        assertThat(hardened.inspect("{{.HostConfig.NetworkMode}}")).isEqualTo("none");
        assertThat(hardened.exec("ls", "/sys/class/net").split("\\s+")).containsExactly("lo");
    }
}
