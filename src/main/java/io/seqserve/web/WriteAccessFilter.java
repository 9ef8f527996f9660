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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the write endpoints (register, label, delete, calibrate, datasets, training jobs, cancel):
 * with a token configured they need {@code Authorization: Bearer <token>}; without one, only loopback
 * callers may write. Everything that is not a read is a write unless it is a model call below, so a new
 * endpoint is guarded until someone decides otherwise.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class WriteAccessFilter extends OncePerRequestFilter {

    /** POSTs that only compute an answer. */
    private static final Pattern MODEL_CALLS =
            Pattern.compile("/v1/models/[^/]+(/(versions|labels)/[^/]+)?:(predict|forecast|backtest|generate)"
                    + "|/v2/models/[^/]+(/versions/[^/]+)?/infer|/v1/completions");

    private final byte[] token;

    WriteAccessFilter(SecurityProperties security) {
        this.token = security.token() == null || security.token().isBlank()
                ? null
                : security.token().getBytes(StandardCharsets.UTF_8);
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
            } else if (!isLoopback(request.getRemoteAddr())) {
                Problems.write(
                        response,
                        403,
                        "Forbidden",
                        "write endpoints accept loopback callers only until seqserve.security.token is set");
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

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
