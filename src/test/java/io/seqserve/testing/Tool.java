package io.seqserve.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A tool some tests need, how to tell whether it is there, and how to get it (.ci/run does all of it). */
public enum Tool {
    CHROMIUM(
            "Chromium and chromedriver (/usr/bin/chromium, /usr/bin/chromedriver)",
            "apt-get install chromium chromium-driver fonts-liberation",
            () -> Files.isExecutable(Path.of("/usr/bin/chromium"))
                    && Files.isExecutable(Path.of("/usr/bin/chromedriver"))),
    PROMETHEUS(
            "Prometheus (/usr/bin/prometheus)",
            "apt-get install prometheus",
            () -> Files.isExecutable(Path.of("/usr/bin/prometheus"))),
    PROMTOOL(
            "promtool (/usr/bin/promtool, shipped with Debian's prometheus)",
            "apt-get install prometheus",
            () -> Files.isExecutable(Path.of("/usr/bin/promtool"))),
    DOCKER(
            "a Docker engine answering `docker version`",
            "apt-get install docker.io docker-compose debootstrap, start dockerd, then deploy/ci/base-images.sh "
                    + "where images cannot be pulled (.ci/run does all of it)",
            () -> answers("docker", "version", "--format", "{{.Server.Version}}")),
    CURL_JQ(
            "curl and jq (the documented examples use them)",
            "apt-get install curl jq (.ci/run does)",
            () -> answers("curl", "--version") && answers("jq", "--version")),
    COMPOSE(
            "Docker Compose (`docker compose` or `docker-compose`)",
            "apt-get install docker-compose (.ci/run does)",
            () -> answers("docker", "compose", "version") || answers("docker-compose", "version"));

    private final String what;
    private final String install;
    private final BooleanSupplier check;
    private volatile Boolean available;

    Tool(String what, String install, BooleanSupplier check) {
        this.what = what;
        this.install = install;
        this.check = check;
    }

    public boolean available() {
        if (available == null) {
            available = check.getAsBoolean();
        }
        return available;
    }

    public String missing() {
        return what + " not found; install: " + install;
    }

    /** Whether the command runs and exits 0; a dead Docker socket must not hang the suite, hence the time limit. */
    public static boolean answers(String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
