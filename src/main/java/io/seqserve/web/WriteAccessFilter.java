package io.seqserve.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the write endpoints (register, label, delete, calibrate, datasets, training jobs, cancel).
 * Everything that is not a read is a write unless it is a model call below, so a new endpoint is guarded
 * until someone decides otherwise. The trust model (docs/DESIGN.md, "Trust and limits"):
 *
 * <ul>
 *   <li>With a token configured, every write needs {@code Authorization: Bearer <token>}, from anywhere.
 *   <li>Without one, a write is accepted only over a direct loopback connection: the TCP peer itself (never
 *       an address taken from {@code X-Forwarded-For}, see {@link ConnectionPeerValve}) is loopback and the
 *       request has no forwarding header, which a same-host proxy adds for the remote client it serves.
 *   <li>Without one on a detected cloud platform (Kubernetes, ...: Spring Boot's {@link CloudPlatform}),
 *       no write is accepted: a sidecar or a port-forward makes remote callers look local there.
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class WriteAccessFilter extends OncePerRequestFilter {

    /** POSTs that only compute an answer. */
    private static final Pattern MODEL_CALLS =
            Pattern.compile("/v1/models/[^/]+(/(versions|labels)/[^/]+)?:(predict|forecast|backtest|generate)"
                    + "|/v2/models/[^/]+(/versions/[^/]+)?/infer|/v1/completions");

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.%]+");

    private final byte[] token;
    private final CloudPlatform platform;

    WriteAccessFilter(SecurityProperties security, Environment environment) {
        this.token = security.token() == null || security.token().isBlank()
                ? null
                : security.token().getBytes(StandardCharsets.UTF_8);
        CloudPlatform active = CloudPlatform.getActive(environment);
        this.platform = active == CloudPlatform.NONE ? null : active;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isWrite(request)) {
            if (token != null) {
                String header = request.getHeader(HttpHeaders.AUTHORIZATION);
                if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                    Problems.write(
                            response, 401, "Unauthorized", "this endpoint needs 'Authorization: Bearer <token>'");
                    return;
                }
                byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(given, token)) {
                    Problems.write(response, 403, "Forbidden", "the bearer token is not valid");
                    return;
                }
            } else if (platform != null) {
                Problems.write(
                        response,
                        403,
                        "Forbidden",
                        "on " + platform.name().toLowerCase() + " write endpoints need seqserve.security.token"
                                + " (SEQSERVE_SECURITY_TOKEN) and 'Authorization: Bearer <token>'");
                return;
            } else if (!isDirectLoopback(request)) {
                Problems.write(
                        response,
                        403,
                        "Forbidden",
                        "write endpoints accept direct loopback connections only (no proxy, no forwarding header)"
                                + " until seqserve.security.token is set");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static boolean isWrite(HttpServletRequest request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // Spring drops ";..." path parameters before routing, so "/x:calibrate;:predict" would look like a
        // model call here and reach the write endpoint: any path parameter makes it a write.
        return !method.equals("POST")
                || path.indexOf(';') >= 0
                || !MODEL_CALLS.matcher(path).matches();
    }

    /** The connection's own peer is loopback and nothing says the request was forwarded. */
    private static boolean isDirectLoopback(HttpServletRequest request) {
        Object peer = request.getAttribute(ConnectionPeerValve.PEER);
        Object forwarded = request.getAttribute(ConnectionPeerValve.FORWARDED);
        boolean viaHeader =
                forwarded instanceof Boolean b ? b : ConnectionPeerValve.hasForwardingHeader(request.getHeaderNames());
        return !viaHeader && isLoopback(peer instanceof String s ? s : request.getRemoteAddr());
    }

    /** An IP literal only: a name would mean a DNS lookup, and a name is never what a socket reports. */
    private static boolean isLoopback(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
