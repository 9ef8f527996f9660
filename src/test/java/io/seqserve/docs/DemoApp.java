package io.seqserve.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.SeqServeApplication;
import io.seqserve.testing.TestModelRoot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application as a new user starts it ({@code ./mvnw spring-boot:run}: the demo models, every default),
 * in a workspace laid out like the repository: {@code models/} a copy (the examples may write to it),
 * {@code examples/} and {@code src/} links to the repository's. Only the port differs (random).
 */
final class DemoApp implements AutoCloseable {

    static final Path PROJECT = Path.of("").toAbsolutePath();

    final Path workspace;
    final int port;
    private final ConfigurableApplicationContext context;
    private final List<String> repositoryModels;

    private DemoApp(Path workspace, ConfigurableApplicationContext context, List<String> repositoryModels) {
        this.workspace = workspace;
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.repositoryModels = repositoryModels;
    }

    static DemoApp start() throws Exception {
        Path workspace = Files.createTempDirectory("seqserve-demo-");
        TestModelRoot.copy(PROJECT.resolve("models"), workspace.resolve("models"));
        Files.createSymbolicLink(workspace.resolve("examples"), PROJECT.resolve("examples"));
        Files.createSymbolicLink(workspace.resolve("src"), PROJECT.resolve("src"));
        List<String> before = tree(PROJECT.resolve("models"));
        // command-line arguments: they win over application.yaml (builder properties would not)
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SeqServeApplication.class)
                .run(
                        "--server.port=0",
                        "--seqserve.models.root=" + workspace.resolve("models"),
                        "--seqserve.data.dir=" + workspace.resolve("data"),
                        "--seqserve.security.token=");
        DemoApp app = new DemoApp(workspace, context, before);
        app.awaitReady();
        return app;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (http.send(HttpRequest.newBuilder(uri("/readyz")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                != 200) {
            assertThat(System.nanoTime()).as("ready in time").isLessThan(until);
            Thread.sleep(200);
        }
    }

    /** Stops the application; the repository's own models must be as they were (everything wrote to the copy). */
    @Override
    public void close() throws IOException {
        context.close();
        assertThat(tree(PROJECT.resolve("models")))
                .as("the application wrote into the workspace's models, never the repository's")
                .isEqualTo(repositoryModels);
        try (var walk = Files.walk(workspace)) { // links are removed, never followed
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<String> tree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p) + ":"
                            + (Files.isRegularFile(p) ? p.toFile().length() : -1))
                    .sorted()
                    .toList();
        }
    }
}
