package io.seqserve.web;

import java.util.regex.Pattern;

/**
 * Messages of third-party exceptions (a parser's, the multipart reader's) made fit for a problem's
 * {@code detail}: the first line only, and no Java names, which say nothing to a client and describe the
 * server to an attacker ({@code `StreamReadConstraints.getMaxNestingDepth()`},
 * {@code io.seqserve.generation.GenerateController$GenerateRequest}).
 */
final class Messages {

    /** A {@code `quoted`} Java name, with the parenthesis around it when it is a "(..., from `...`)" aside. */
    private static final Pattern QUOTED = Pattern.compile("\\s*\\([^()]*`[^`]*`[^()]*\\)|`[^`]*`");
    /** A qualified Java name: {@code a.b.C}, {@code a.b.C$D}, {@code C$D}. */
    private static final Pattern QUALIFIED =
            Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*|\\b[A-Z]\\w*\\$[\\w$]+");

    private Messages() {}

    static String clientSafe(Throwable e) {
        return clientSafe(e == null ? null : e.getMessage());
    }

    static String clientSafe(String message) {
        if (message == null || message.isBlank()) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        String line = (newline > 0 ? message.substring(0, newline) : message).trim();
        line = QUOTED.matcher(line).replaceAll("");
        line = QUALIFIED.matcher(line).replaceAll("a value");
        line = line.replaceAll("\\s+", " ").trim();
        return line.isEmpty() ? "no reason given" : line;
    }
}
