package io.seqserve.web;

import io.seqserve.Failure;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies other than multipart uploads (which have their own limit) and checks that JSON and
 * text bodies are well-formed UTF-8. A declared length over the cap is refused at once with 413; a chunked
 * body is counted as it is read and refused the same way when it passes the cap. Both are thrown as
 * {@link Failure} from the stream, so whoever reads it (Jackson, a CSV reader, a copy to disk) lets them
 * through to the problem handler, which looks for a failure before anything else in a cause chain.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestSizeFilter extends OncePerRequestFilter {

    private final long limit;

    RequestSizeFilter(WebProperties properties) {
        this.limit = properties.maxRequestSize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > limit) {
            Problems.write(response, tooLarge(limit));
            return;
        }
        chain.doFilter(new Limited(request, limit, isUtf8Text(type)), response);
    }

    static Failure tooLarge(long limit) {
        return Failure.tooLarge("the request body exceeds " + limit + " bytes (seqserve.web.max-request-size)");
    }

    /** JSON (always UTF-8 here) and text without another declared charset. */
    private static boolean isUtf8Text(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            boolean json = type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
            if (!json && !type.getType().equals("text")) {
                return false;
            }
            Charset charset = type.getCharset();
            return charset == null || charset.equals(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return false; // Spring answers 415 for a content type it cannot parse
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private final boolean utf8;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit, boolean utf8) {
            super(request);
            this.limit = limit;
            this.utf8 = utf8;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Checked(super.getInputStream(), limit, utf8 ? new Utf8Validator() : null);
            }
            return stream;
        }
    }

    private static final class Checked extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private final Utf8Validator utf8;
        private final byte[] one = new byte[1];
        private long count;

        Checked(ServletInputStream in, long limit, Utf8Validator utf8) {
            this.in = in;
            this.limit = limit;
            this.utf8 = utf8;
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw tooLarge(limit);
                }
                if (utf8 != null) {
                    long bad = utf8.update(b, off, n);
                    if (bad >= 0) {
                        throw Failure.badRequest("the body is not valid UTF-8 (byte " + bad + ")");
                    }
                }
            } else if (n < 0 && utf8 != null && !utf8.complete()) {
                throw Failure.badRequest("the body is not valid UTF-8 (it ends inside a character)");
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
