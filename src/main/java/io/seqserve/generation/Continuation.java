package io.seqserve.generation;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The generated text and the stop strings it is checked against. A token is passed on only once no
 * stop string can still begin inside it, so the streamed tokens always add up to the final text, which
 * ends before the first stop string.
 */
final class Continuation {

    /** A token not yet passed on: its index and where its text lies in the continuation. */
    private record Held(int index, int start, int end) {}

    private final List<String> stops;
    private final int longestStop;
    private final StringBuilder text = new StringBuilder();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private int sent;

    Continuation(List<String> stops) {
        this.stops = stops;
        this.longestStop = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Appends a token; true when a stop string now appears, in which case the text is cut before it. */
    boolean append(int index, String piece, GenerationListener out) {
        int before = text.length();
        text.append(piece);
        held.add(new Held(index, before, text.length()));
        int cut = firstStop(Math.max(0, before - longestStop + 1));
        if (cut >= 0) {
            release(out, cut, true);
            text.setLength(cut);
            return true;
        }
        release(out, text.length() - stopPrefixAtEnd(), false);
        return false;
    }

    /** Passes on every token still held (the generation ended without a stop string). */
    void flush(GenerationListener out) {
        release(out, text.length(), true);
    }

    String text() {
        return text.toString();
    }

    boolean endsWithWhitespace() {
        return !text.isEmpty() && Character.isWhitespace(text.charAt(text.length() - 1));
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    /** Tokens passed on so far: what usage counts, so that it equals what the client received. */
    int sent() {
        return sent;
    }

    private int firstStop(int from) {
        int cut = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, from);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        return cut;
    }

    /** Length of the longest end of the text that a stop string starts with. */
    private int stopPrefixAtEnd() {
        int longest = 0;
        for (String stop : stops) {
            for (int n = Math.min(stop.length() - 1, text.length()); n > longest; n--) {
                if (endsWith(stop, n)) {
                    longest = n;
                    break;
                }
            }
        }
        return longest;
    }

    /** True when the text ends with the first {@code n} characters of {@code stop}. */
    private boolean endsWith(String stop, int n) {
        int offset = text.length() - n;
        for (int i = 0; i < n; i++) {
            if (text.charAt(offset + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Passes on held tokens that end by {@code upTo}; with {@code clip}, also the part of one that starts before it. */
    private void release(GenerationListener out, int upTo, boolean clip) {
        while (!held.isEmpty()) {
            Held next = held.peek();
            if (next.end() <= upTo) {
                out.onToken(next.index(), text.substring(next.start(), next.end()));
                sent++;
            } else if (clip && next.start() < upTo) {
                out.onToken(next.index(), text.substring(next.start(), upTo));
                sent++;
            } else if (clip) {
                held.clear();
                return;
            } else {
                return;
            }
            held.poll();
        }
    }
}
