package io.seqserve.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A tool some tests need, how to tell whether it is there, and how to get it (.ci/run does all of it). */
public enum Tool {

    CHROMIUM("Chromium and chromedriver (/usr/bin/chromium, /usr/bin/chromedriver)",
            "apt-get install chromium chromium-driver fonts-liberation",
            () -> Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver"))),
    PROMETHEUS("Prometheus (/usr/bin/prometheus)", "apt-get install prometheus",
            () -> Files.isExecutable(Path.of("/usr/bin/prometheus"))),
    DOCKER("a Docker engine answering `docker version`",
            "apt-get install docker.io docker-compose debootstrap, start dockerd, then deploy/ci/base-images.sh "
                    + "where images cannot be pulled (.ci/run does all of it)",
            Tool::dockerAnswers);

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

    /** The CLI and an engine behind it; a dead socket must not hang the suite, hence the time limit. */
    private static boolean dockerAnswers() {
        try {
            Process process = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
