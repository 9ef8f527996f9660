package io.seqserve.deploy;

import io.seqserve.testing.ToolCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * The docker CLI, run as a process with a time limit. The CLI negotiates the API version with whatever
 * engine answers (Debian's docker.io 20.10 speaks API 1.41; Testcontainers 2 asks for 1.44), and nothing
 * here pulls an image behind the test's back: {@link #ensureImage} says what is missing instead.
 */
final class Docker {

    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private Docker() {}

    static Result run(Duration limit, List<String> args) {
        return run(limit, args, Map.of(), null, null);
    }

    static Result run(Duration limit, String... args) {
        return run(limit, List.of(args));
    }

    /** Runs {@code docker args}, stdin from {@code input} when given, output (stdout + stderr) into {@code log} when given. */
    static Result run(Duration limit, List<String> args, Map<String, String> env, String input, Path log) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(args);
        return exec(limit, command, env, input, log);
    }

    static Result exec(Duration limit, List<String> command, Map<String, String> env, String input, Path log) {
        try {
            Path out = log != null ? log : Files.createTempFile("docker-", ".out");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().putAll(env);
            if (input == null) {
                builder.redirectInput(
                        ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process process = builder.start();
            if (input != null) {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError(
                        String.join(" ", command) + " did not finish within " + limit + "; output: " + tail(out, 40));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (log == null) {
                Files.delete(out);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs it and fails with its output unless it exits 0; returns the output, trimmed. */
    static String ok(Duration limit, String... args) {
        Result result = run(limit, args);
        if (!result.ok()) {
            throw new AssertionError(
                    "docker " + String.join(" ", args) + " exited " + result.exit() + ": " + result.output());
        }
        return result.output().strip();
    }

    static String ok(String... args) {
        return ok(Duration.ofMinutes(2), args);
    }

    /**
     * Makes sure the engine has the image: present, or pulled once. Where it can be neither (no registry
     * here), CI fails and elsewhere the test is skipped, both saying how to make it.
     */
    static void ensureImage(String image) {
        if (run(Duration.ofSeconds(30), "image", "inspect", image).ok()) {
            return;
        }
        Result pull = run(Duration.ofMinutes(3), "pull", "-q", image);
        if (pull.ok()) {
            return;
        }
        String message = "image " + image + " is not in the Docker engine and cannot be pulled ("
                + pull.output().strip()
                + "); make it from Debian packages with deploy/ci/base-images.sh (.ci/run does)";
        if (ToolCheck.inCi()) {
            throw new AssertionError(message);
        }
        System.out.println("[skipped] " + message);
        throw new TestAbortedException("skipped: " + message);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
