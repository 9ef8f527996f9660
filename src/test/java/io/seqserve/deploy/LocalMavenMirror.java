package io.seqserve.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local Maven repository (filled by the build that runs this test) served read-only over HTTP on
 * loopback, as the image build's Maven mirror: {@code docker build --network host} reaches it where a
 * container cannot reach Maven Central itself. Maven's http blocker ({@code external:http:*}) leaves
 * loopback alone, and it only applies to repositories, not to a mirror we name.
 * <p>
 * Two things differ between a local repository and a remote one: metadata is stored as
 * {@code maven-metadata-<repo>.xml}, and a checksum file may be missing. Both are answered from what is
 * there (the artifacts were verified when they were downloaded into it).
 */
final class LocalMavenMirror implements AutoCloseable {

    private final Path root;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();

    LocalMavenMirror(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** The repository Maven used for this build ({@code maven.repo.local}, set by failsafe), else the default. */
    static Path defaultRoot() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long served() {
        return served.get();
    }

    long missing() {
        return missing.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            Path stored = file.startsWith(root) ? stored(file) : null;
            byte[] computed = stored == null
                            && file.startsWith(root)
                            && file.getFileName().toString().endsWith(".sha1")
                    ? checksumOf(file)
                    : null;
            if (stored == null && computed == null) {
                missing.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            served.incrementAndGet();
            long length = stored != null ? Files.size(stored) : computed.length;
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    if (stored != null) {
                        Files.copy(stored, out);
                    } else {
                        out.write(computed);
                    }
                }
            }
        }
    }

    /** The file itself, or for {@code maven-metadata.xml} the copy Maven kept of Central's. */
    private static Path stored(Path file) {
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path local = file.resolveSibling("maven-metadata-central.xml");
        return file.getFileName().toString().equals("maven-metadata.xml") && Files.isRegularFile(local) ? local : null;
    }

    private static byte[] checksumOf(Path sha1File) throws IOException {
        String name = sha1File.getFileName().toString();
        Path of = stored(sha1File.resolveSibling(name.substring(0, name.length() - ".sha1".length())));
        if (of == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(of)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
