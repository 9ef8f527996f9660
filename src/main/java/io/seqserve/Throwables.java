package io.seqserve;

import java.util.concurrent.CompletionException;

/** Messages for errors that come out of native engines, where the useful text is at the root cause. */
public final class Throwables {

    private Throwables() {}

    /** The failure a {@code CompletableFuture} stage wrapped, or {@code e} itself. */
    public static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The first line of the innermost cause's message. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return (newline > 0 ? message.substring(0, newline) : message).trim();
    }
}
