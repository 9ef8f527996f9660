package io.seqserve.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image under test, built once per test JVM from the repository's Dockerfile, exactly as a user
 * builds it, plus two build args: the local Maven repository as the Maven mirror (served on loopback,
 * reached with {@code --network host}) for the Maven build inside the image, and for the wrapper's own
 * download. {@code -Dseqserve.it.image=NAME} tests an image that is already built instead.
 */
final class SeqserveImage {

    /**
     * Unique per test JVM: runs that share one Docker engine (two checkouts, two CI jobs) must not test
     * each other's image. The tag is removed when the JVM exits; the layers stay cached.
     */
    static final String TAG = "seqserve:it-" + ProcessHandle.current().pid();

    static final Path BUILD_LOG = Path.of("target/docker-build.log");
    private static final Pattern FROM = Pattern.compile("^ARG (\\w*BASE\\w*)=(\\S+)$", Pattern.MULTILINE);
    private static String built;

    private SeqserveImage() {}

    static synchronized String get() {
        if (built == null) {
            String given = System.getProperty("seqserve.it.image", "");
            if (given.isBlank()) {
                built = build();
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(() -> Docker.run(Duration.ofMinutes(1), "rmi", "--no-prune", TAG)));
            } else {
                built = given;
            }
        }
        return built;
    }

    /** The base images the Dockerfile names by default ({@code ARG ..._BASE=image}). */
    static List<String> baseImages() {
        List<String> images = new ArrayList<>();
        Matcher matcher = FROM.matcher(read(Path.of("Dockerfile")));
        while (matcher.find()) {
            if (!images.contains(matcher.group(2))) {
                images.add(matcher.group(2));
            }
        }
        return images;
    }

    /** The Maven version the wrapper downloads, from {@code .mvn/wrapper/maven-wrapper.properties}. */
    static String wrapperMavenVersion() {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of(".mvn/wrapper/maven-wrapper.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher version =
                Pattern.compile("apache-maven-([^/]+)-bin\\.zip$").matcher(properties.getProperty("distributionUrl"));
        if (!version.find()) {
            throw new AssertionError("no apache-maven-<version>-bin.zip in distributionUrl "
                    + properties.getProperty("distributionUrl"));
        }
        return version.group(1);
    }

    private static String build() {
        baseImages().forEach(Docker::ensureImage);
        Path repository = LocalMavenMirror.defaultRoot();
        String maven = wrapperMavenVersion();
        Path distribution =
                repository.resolve("org/apache/maven/apache-maven/" + maven + "/apache-maven-" + maven + "-bin.zip");
        if (!Files.isRegularFile(distribution)) {
            throw new AssertionError(
                    distribution + " missing: the pom's maven-dependency-plugin execution puts it there in "
                            + "pre-integration-test (run through ./mvnw verify); <maven.distribution.version> must equal "
                            + maven);
        }
        long start = System.nanoTime();
        try (LocalMavenMirror mirror = new LocalMavenMirror(repository)) {
            Files.createDirectories(BUILD_LOG.getParent());
            List<String> args = List.of(
                    "build",
                    "--network",
                    "host",
                    "--build-arg",
                    "MAVEN_MIRROR=" + mirror.url(),
                    "--build-arg",
                    "MVNW_REPOURL=" + mirror.url(),
                    "-t",
                    TAG,
                    ".");
            System.out.println("[container tests] docker " + String.join(" ", args) + "  (log: " + BUILD_LOG + ")");
            Docker.Result result = Docker.run(Duration.ofMinutes(25), args, Map.of(), null, BUILD_LOG);
            if (!result.ok()) {
                throw new AssertionError("docker build failed (exit " + result.exit() + "); last lines of " + BUILD_LOG
                        + ":\n" + Docker.tail(BUILD_LOG, 60));
            }
            result.output()
                    .lines()
                    .filter(l -> l.startsWith("Step ") || l.startsWith("Successfully"))
                    .forEach(l -> System.out.println("[container tests] " + l));
            System.out.printf(
                    "[container tests] image %s built from the Dockerfile in %.0f s; %d files from the loopback Maven mirror%n",
                    TAG, (System.nanoTime() - start) / 1e9, mirror.served());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TAG;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
