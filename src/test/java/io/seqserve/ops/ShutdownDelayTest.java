package io.seqserve.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.SeqServeApplication;
import io.seqserve.testing.HttpTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server told to stop keeps answering on its open keep-alive connections for {@code seqserve.shutdown.delay}
 * while /readyz already fails. Without the delay Tomcat's graceful shutdown pauses the connector at once and
 * closes a kept-alive connection when its next request arrives, unanswered: the "header parser received no
 * bytes" a client of ContainerLifecycleIT saw for a request sent just before {@code docker stop}.
 */
@HttpTest
class ShutdownDelayTest {

    private static final Duration DELAY = Duration.ofMillis(1500);
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");

    @TempDir
    Path temp;

    @Test
    void aStoppingServerReportsNotReadyAndStillAnswersItsOpenConnectionsForTheDelay() throws Exception {
        Path models = Files.createDirectories(temp.resolve("models"));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SeqServeApplication.class)
                .run(
                        "--server.port=0",
                        "--seqserve.models.root=" + models,
                        "--seqserve.data.dir=" + temp.resolve("data"),
                        "--seqserve.predict.warm-up=0s",
                        "--seqserve.shutdown.delay=" + DELAY.toMillis() + "ms",
                        "--spring.jmx.enabled=false");
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        try (Connection user = new Connection(port);
                Connection probe = new Connection(port)) {
            assertThat(user.get("/livez")).isEqualTo(200);
            assertThat(probe.get("/readyz")).isEqualTo(200);

            long stopAt = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            long until = stopAt + DELAY.toNanos() / 2;
            int readiness = 200;
            while (readiness == 200 && System.nanoTime() < until) {
                Thread.sleep(20);
                readiness = probe.get("/readyz");
            }
            assertThat(readiness).as("/readyz soon after the stop began").isEqualTo(503);
            assertThat(user.get("/livez"))
                    .as("a request on a connection opened before the stop, sent during the delay")
                    .isEqualTo(200);

            closing.get();
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isGreaterThanOrEqualTo(DELAY);
        } finally {
            context.close();
        }
    }

    /** One kept-alive HTTP/1.1 connection, read by hand so no client library reconnects behind the test's back. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        int get(String path) throws IOException {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String head = readHead();
            Matcher status = STATUS.matcher(head);
            assertThat(status.find()).as("a status line in %s", head).isTrue();
            Matcher length = LENGTH.matcher(head);
            if (length.find()) {
                in.readNBytes(Integer.parseInt(length.group(1)));
            } else {
                skipChunks();
            }
            return Integer.parseInt(status.group(1));
        }

        /** A chunked body: size lines in hex, each chunk and its CRLF, up to the empty last chunk and its CRLF. */
        private void skipChunks() throws IOException {
            int size;
            do {
                size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
                in.readNBytes(size);
                readLine();
            } while (size > 0);
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed in a chunked body");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after " + head.size() + " bytes: " + head);
                }
                head.write(b);
                matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
