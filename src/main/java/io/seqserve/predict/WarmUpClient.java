package io.seqserve.predict;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client for {@link HttpWarmUp}: it writes prepared request bytes and reads
 * past the answer. It is deliberately bare (a general client would give the JIT its own code to compile
 * while the warm-up is meant to compile the server's). Used by one thread.
 */
final class WarmUpClient implements AutoCloseable {

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    WarmUpClient(int port) {
        this.port = port;
    }

    /** The request bytes for a JSON POST to {@code path}. */
    static byte[] post(String path, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /**
     * Sends one request and reads its whole answer; returns the status code. The answer's head is scanned as bytes
     * in one buffer (this runs interpreted at first, competing with the server it warms).
     */
    int send(byte[] request) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            filled = 0;
        }
        out.write(request);
        int headEnd;
        while ((headEnd = indexOf(HEAD_END, filled)) < 0) {
            fill();
        }
        int bodyStart = headEnd + HEAD_END.length;
        int status = (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
        boolean close = indexOf(CLOSE, headEnd) >= 0;
        int lengthAt = indexOf(CONTENT_LENGTH, headEnd);
        if (lengthAt >= 0) {
            long length = 0;
            for (int i = lengthAt + CONTENT_LENGTH.length; buffer[i] >= '0' && buffer[i] <= '9'; i++) {
                length = length * 10 + buffer[i] - '0';
            }
            consume(bodyStart, length);
        } else {
            consumeChunks(bodyStart);
        }
        if (close) {
            close();
        }
        return status;
    }

    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "\r\nContent-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\r\nConnection: close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final byte[] buffer = new byte[64 * 1024];
    private int filled;

    /** Drops {@code from + length} bytes from the buffer's start, reading as many as needed. */
    private void consume(int from, long length) throws IOException {
        long end = from + length;
        while (filled < end) {
            end -= filled;
            filled = 0;
            fill();
        }
        int rest = filled - (int) end;
        System.arraycopy(buffer, (int) end, buffer, 0, rest);
        filled = rest;
    }

    /** A chunked body from {@code from}: hex sizes, chunks and CRLFs, up to the empty last chunk and its CRLF. */
    private void consumeChunks(int from) throws IOException {
        consume(from, 0);
        while (true) {
            int lineEnd;
            while ((lineEnd = indexOf(CRLF, filled)) < 0) {
                fill();
            }
            int size = Integer.parseInt(
                    new String(buffer, 0, lineEnd, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            consume(lineEnd + CRLF.length, size + CRLF.length);
            if (size == 0) {
                return;
            }
        }
    }

    private void fill() throws IOException {
        if (filled == buffer.length) {
            throw new IOException("answer head larger than " + buffer.length + " bytes");
        }
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
            throw new IOException("connection closed");
        }
        filled += n;
    }

    /** Where {@code pattern} first starts in the buffer, before {@code before}; -1 when it does not. */
    private int indexOf(byte[] pattern, int before) {
        outer:
        for (int i = 0; i < before && i <= filled - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
