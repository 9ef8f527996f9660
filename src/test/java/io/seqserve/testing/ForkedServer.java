package io.seqserve.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.SeqServeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application in a JVM of its own, started the way {@code java -jar} starts it but from the test class
 * path, with an environment and system properties this test JVM cannot have: engines' native library
 * paths are read once per process, so a deliberately broken engine needs its own process. Output goes to
 * a log file the test can read; {@link #close()} stops the process with SIGTERM (then kills it).
 */
public final class ForkedServer implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private ForkedServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the application on a random port and returns once it answers HTTP (models may still load).
     *
     * @param environment added to (or, with a null value, removed from) this JVM's environment
     */
    public static ForkedServer start(Map<String, String> environment, List<String> jvmOptions, List<String> arguments)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("seqserve-forked-", ".log");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath()));
        command.addAll(jvmOptions);
        command.add(SeqServeApplication.class.getName());
        command.add("--server.port=0");
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        Process process = builder.start();
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            Matcher started = STARTED.matcher(Files.readString(log));
            if (started.find()) {
                return new ForkedServer(process, log, Integer.parseInt(started.group(1)));
            }
            if (!process.isAlive() || System.nanoTime() > until) {
                process.destroyForcibly();
                throw new IllegalStateException("the forked server did not start (exit "
                        + (process.isAlive() ? "-" : process.exitValue()) + "); its log:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    /** Surefire puts the test class path in a system property when it runs tests from a manifest-only jar. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until it answers {@code status}, within the given time. */
    public HttpResponse<String> await(String path, int status, Duration within)
            throws IOException, InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        HttpResponse<String> response;
        while ((response = get(path)).statusCode() != status) {
            assertThat(System.nanoTime())
                    .as(path + " answers " + status + " in time; last: " + response.body())
                    .isLessThan(until);
            Thread.sleep(200);
        }
        return response;
    }

    /** Kills the process at once (SIGKILL: no shutdown hook, nothing flushed), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
