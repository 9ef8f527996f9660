package io.seqserve.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Locale;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Records, before any proxy support rewrites them, the address of the connection's own peer and whether
 * the request carries a forwarding header ({@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP}).
 * Tomcat's {@code RemoteIpValve} (on when {@code server.forward-headers-strategy=native}, or on Kubernetes
 * by default) replaces the remote address with one taken from {@code X-Forwarded-For} and removes that
 * header; the write guard must judge the connection, not what a client wrote in a header.
 */
class ConnectionPeerValve extends ValveBase {

    static final String PEER = ConnectionPeerValve.class.getName() + ".peer";
    static final String FORWARDED = ConnectionPeerValve.class.getName() + ".forwarded";

    ConnectionPeerValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method)) {
            request.setAttribute(PEER, request.getRemoteAddr());
            request.setAttribute(FORWARDED, hasForwardingHeader(request.getHeaderNames()));
        }
        getNext().invoke(request, response);
    }

    static boolean hasForwardingHeader(Enumeration<String> names) {
        while (names.hasMoreElements()) {
            String name = names.nextElement().toLowerCase(Locale.ROOT);
            if (name.equals("forwarded") || name.startsWith("x-forwarded-") || name.equals("x-real-ip")) {
                return true;
            }
        }
        return false;
    }
}
