package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqserve.testing.OwnServerTest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 13 item 4 without a token, behind proxies Tomcat trusts ({@code server.forward-headers-strategy=native}
 * turns on its {@code RemoteIpValve}; here every address counts as a trusted proxy). A write is accepted over
 * a direct loopback connection only: a forwarding header, or a peer that is not loopback whatever
 * {@code X-Forwarded-For} claims, is refused. The reproduction: {@code X-Forwarded-For: 127.0.0.1, 10.0.0.7}
 * from another address let a label PUT through.
 */
@TestPropertySource(
        properties = {
            "spring.main.cloud-platform=none",
            "server.forward-headers-strategy=native",
            "server.tomcat.remoteip.internal-proxies=.*"
        })
class WriteGuardTest extends OwnServerTest {

    @Test
    void aDirectLoopbackConnectionMayWrite() throws Exception {
        assertThat(dataset(uri("/v1/datasets?name=direct"), null, null).statusCode())
                .isEqualTo(201);
    }

    @Test
    void aLoopbackConnectionThatSaysItWasForwardedMayNot() throws Exception {
        for (String[] header : new String[][] {
            {"X-Forwarded-For", "127.0.0.1, 10.0.0.7"},
            {"X-Forwarded-For", "127.0.0.1"},
            {"Forwarded", "for=127.0.0.1"},
            {"X-Real-IP", "127.0.0.1"},
            {"X-Forwarded-Host", "localhost"}
        }) {
            HttpResponse<String> r = dataset(uri("/v1/datasets?name=forwarded"), header[0], header[1]);
            assertThat(assertProblem(r, 403).path("detail").asString()).contains("loopback");
        }
    }

    @Test
    void anotherAddressClaimingLoopbackInXForwardedForMayNot() throws Exception {
        Optional<InetAddress> own = ownAddress();
        assumeTrue(own.isPresent(), "this machine has no non-loopback IPv4 address");
        URI elsewhere =
                URI.create("http://" + own.get().getHostAddress() + ":" + port + "/v1/datasets?name=from-elsewhere");
        assertProblem(dataset(elsewhere, "X-Forwarded-For", "127.0.0.1, 10.0.0.7"), 403);
        assertProblem(dataset(elsewhere, "X-Forwarded-For", "127.0.0.1"), 403);
        assertProblem(dataset(elsewhere, null, null), 403);
        // reads and model calls are not writes
        assertThat(send(HttpRequest.newBuilder(elsewhere.resolve("/v1/datasets")))
                        .statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> dataset(URI uri, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("value\n1\n2\n"));
        if (header != null) {
            request.header(header, value);
        }
        return send(request);
    }

    static Optional<InetAddress> ownAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
