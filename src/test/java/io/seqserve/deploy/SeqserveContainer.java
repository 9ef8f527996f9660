package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One seqserve container of the image under test, driven through the docker CLI. Options are plain
 * {@code docker run} flags, so a test states exactly how it runs the image:
 * <pre>
 * try (SeqserveContainer c = SeqserveContainer.of(SeqserveImage.get())
 *         .with("--read-only", "--tmpfs", "/tmp:noexec").mount("/abs/models", "/models", true).start()) {
 *     c.awaitReady(Duration.ofMinutes(3));
 *     c.call("GET", "/readyz", null);   // through docker exec + curl: works with --network none too
 * }
 * </pre>
 * {@link #publish()} maps the HTTP port to loopback for tests that put load on it from the host.
 */
final class SeqserveContainer implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final int PORT = DeployFiles.serverPort();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer from the server, whichever way it was asked. */
    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private final String image;
    private final String name = "seqserve-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> options = new ArrayList<>();
    private final List<String> command = new ArrayList<>();
    private boolean published;
    private String id;

    private SeqserveContainer(String image) {
        this.image = image;
    }

    static SeqserveContainer of(String image) {
        return new SeqserveContainer(image);
    }

    /** Any {@code docker run} flags. */
    SeqserveContainer with(String... flags) {
        options.addAll(List.of(flags));
        return this;
    }

    /** Arguments after the image name: the command, with {@code --entrypoint} in {@link #with} to replace it. */
    SeqserveContainer command(String... arguments) {
        command.addAll(List.of(arguments));
        return this;
    }

    SeqserveContainer env(String name, String value) {
        return with("-e", name + "=" + value);
    }

    SeqserveContainer mount(String source, String target, boolean readOnly) {
        return with("-v", source + ":" + target + (readOnly ? ":ro" : ""));
    }

    SeqserveContainer publish() {
        published = true;
        return with("-p", "127.0.0.1::" + PORT);
    }

    String name() {
        return name;
    }

    SeqserveContainer start() {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(options);
        args.add(image);
        args.addAll(command);
        Docker.Result result = Docker.run(Duration.ofMinutes(2), args);
        assertThat(result.ok())
                .as("docker %s: %s", String.join(" ", args), result.output())
                .isTrue();
        id = result.output().strip().lines().reduce((a, b) -> b).orElseThrow();
        return this;
    }

    /** {@code docker start} again after a stop or kill: same container, same volumes. */
    void restart() {
        Docker.ok("start", name);
    }

    /** Polls {@code /readyz} until it answers 200; fails with the log's tail otherwise. */
    Duration awaitReady(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        long until = start + limit.toNanos();
        while (true) {
            assertThat(running())
                    .as("container %s running; log:%n%s", name, logTail(60))
                    .isTrue();
            if (call("GET", "/readyz", null).status() == 200) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            assertThat(System.nanoTime())
                    .as("%s ready within %s; log:%n%s", name, limit, logTail(60))
                    .isLessThan(until);
            Thread.sleep(250);
        }
    }

    /**
     * An HTTP call made inside the container (docker exec + the image's curl), so it works whatever the
     * container's network. Status 0 means no answer (not listening yet).
     */
    Answer call(String method, String path, String jsonBody, String... headers) {
        List<String> args = new ArrayList<>(List.of(
                "exec", "-i", name, "curl", "-s", "-o", "-", "-w", "\n%{http_code}", "-X", method, "--max-time", "60"));
        for (String header : headers) {
            args.add("-H");
            args.add(header);
        }
        if (jsonBody != null) {
            args.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
        }
        args.add("http://127.0.0.1:" + PORT + path);
        Docker.Result result = Docker.run(Duration.ofSeconds(90), args, Map.of(), jsonBody, null);
        String out = result.output();
        int split = out.lastIndexOf('\n');
        int status = split < 0 ? 0 : Integer.parseInt(out.substring(split + 1).strip());
        return new Answer(status, split < 0 ? out : out.substring(0, split));
    }

    /** The published port's base URI on the host (needs {@link #publish()}). */
    URI uri(String path) {
        assertThat(published).as("publish() the port to call from the host").isTrue();
        String mapping =
                Docker.ok("port", name, PORT + "/tcp").lines().findFirst().orElseThrow();
        return URI.create("http://127.0.0.1:" + mapping.substring(mapping.lastIndexOf(':') + 1) + path);
    }

    /** An HTTP call from the host through the published port. */
    Answer http(String method, String path, String jsonBody, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    static HttpClient client() {
        return HTTP;
    }

    /** {@code docker inspect --format FORMAT}. */
    String inspect(String format) {
        return Docker.ok("inspect", "--format", format, name);
    }

    boolean running() {
        return "true".equals(inspect("{{.State.Running}}"));
    }

    String exec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", name));
        args.addAll(List.of(command));
        return Docker.ok(args.toArray(String[]::new));
    }

    Docker.Result tryExec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", name));
        args.addAll(List.of(command));
        return Docker.run(Duration.ofMinutes(1), args);
    }

    String logs() {
        return Docker.run(Duration.ofMinutes(1), "logs", name).output();
    }

    String logTail(int lines) {
        List<String> all = logs().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** {@code docker stop -t grace}: SIGTERM, then SIGKILL after the grace period. */
    void stop(Duration grace) {
        Docker.ok(grace.plusMinutes(1), "stop", "-t", String.valueOf(grace.toSeconds()), name);
    }

    /** {@code docker kill}: SIGKILL, no shutdown at all. */
    void kill() {
        Docker.ok("kill", name);
    }

    @Override
    public void close() {
        if (id != null) {
            Docker.run(Duration.ofMinutes(2), "rm", "-f", "-v", name);
        }
    }
}
