package io.seqserve.web;

import io.seqserve.Failure;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for requests that never reach Spring, as problem+json instead of an HTML page: a
 * request line or headers over {@code server.max-http-request-header-size} (8 KB), an encoded {@code /}
 * ({@code %2F}) or another URI Tomcat refuses. Installed on the host in place of Tomcat's own
 * {@link ErrorReportValve} by {@link TomcatEdge}.
 */
class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.resetBuffer();
            if (status == 400) {
                Problems.write(response, Failure.badRequest(detail(response, throwable)));
            } else if (status == 413) {
                Problems.write(response, Failure.tooLarge(detail(response, throwable)));
            } else {
                HttpStatus known = HttpStatus.resolve(status);
                String title = known == null ? "Error" : known.getReasonPhrase();
                Problems.write(
                        response,
                        status,
                        title,
                        status >= 500 ? "the server failed to handle this request" : detail(response, throwable));
            }
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone; nothing to tell
        }
    }

    private static String detail(Response response, Throwable throwable) {
        String message = throwable != null ? throwable.getMessage() : response.getMessage();
        if (message != null && message.toLowerCase().contains("too large")) {
            return "the request line and headers exceed the server's limit"
                    + " (server.max-http-request-header-size, 8 KB by default)";
        }
        String reason = Messages.clientSafe(message);
        return "the request cannot be parsed: "
                + (reason.equals("no reason given")
                        ? "malformed request line or URI (an encoded '/' is refused)"
                        : reason);
    }
}
