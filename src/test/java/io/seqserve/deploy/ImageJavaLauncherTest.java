package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's ENTRYPOINT script ({@code deploy/docker/seqserve-java}), run with a stand-in {@code java} that prints
 * the arguments it was given: on fewer than 4 CPUs, as this JVM counts them, it adds a second optimising compiler
 * thread; a compiler or CPU count the user set wins.
 */
class ImageJavaLauncherTest {

    private static final Path SCRIPT = Path.of("deploy/docker/seqserve-java").toAbsolutePath();
    private static final List<String> ARGS =
            List.of("-XX:AOTCache=/opt/seqserve/app/seqserve.aot", "-jar", "seqserve.jar");

    @TempDir
    Path bin;

    @Test
    void addsASecondC2ThreadBelowFourCpus() throws Exception {
        List<String> expected = new ArrayList<>();
        if (Runtime.getRuntime().availableProcessors() < 4) {
            expected.add("-XX:CICompilerCount=3");
        }
        expected.addAll(ARGS);
        assertThat(javaArguments(ARGS, Map.of())).isEqualTo(expected);
    }

    @Test
    void leavesACompilerCountOnTheCommandLineAlone() throws Exception {
        List<String> args = List.of("-XX:CICompilerCount=2", "-jar", "seqserve.jar");
        assertThat(javaArguments(args, Map.of())).isEqualTo(args);
    }

    @Test
    void leavesAProcessorCountInJavaToolOptionsAlone() throws Exception {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=55 -XX:ActiveProcessorCount=2");
        assertThat(javaArguments(ARGS, env)).isEqualTo(ARGS);
    }

    @Test
    void isExecutableAsTheDockerfileCopiesIt() {
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
        assertThat(DeployFiles.dockerfileEntrypoint().get(0)).isEqualTo("seqserve-java");
        assertThat(DeployFiles.dockerfile("COPY")).contains("deploy/docker/seqserve-java /usr/local/bin/");
    }

    private List<String> javaArguments(List<String> args, Map<String, String> env)
            throws IOException, InterruptedException {
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().putAll(env);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
