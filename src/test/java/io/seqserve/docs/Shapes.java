package io.seqserve.docs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers the docs show, read as shapes: JSON where {@code ...} stands for what is left out. A bare
 * {@code ...} is any value; as an array element, any further elements there (before it the array's first
 * elements, after it its last ones); as an object member, any further members (without it the object has
 * exactly the members shown). A string with {@code ...} in it matches any text there ({@code "ds_..."}).
 * Numbers match within 1e-3 relative (the docs round them); everything else exactly.
 */
final class Shapes {

    /** What a bare {@code ...} becomes when the shape is read as JSON. */
    static final String ANY = "\u2026any\u2026";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Shapes() {}

    /** The shape as a JSON tree, or null when the text is not JSON with ellipses. */
    static JsonNode parse(String shape) {
        try {
            return JSON.readTree(toJson(shape));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Replaces each bare {@code ...} by the {@link #ANY} string (a value) or an {@code ANY: null} member. */
    static String toJson(String shape) {
        StringBuilder out = new StringBuilder();
        List<Character> open = new ArrayList<>();
        boolean inString = false;
        char previous = 0;
        for (int i = 0; i < shape.length(); i++) {
            char c = shape.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < shape.length()) {
                    out.append(shape.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                open.add(c);
            } else if ((c == '}' || c == ']') && !open.isEmpty()) {
                open.remove(open.size() - 1);
            } else if (shape.startsWith("...", i)) {
                boolean member =
                        !open.isEmpty() && open.get(open.size() - 1) == '{' && (previous == '{' || previous == ',');
                out.append(member ? "\"" + ANY + "\": null" : "\"" + ANY + "\"");
                i += 2;
                previous = '.';
                continue;
            }
            out.append(c);
            if (!Character.isWhitespace(c)) {
                previous = c;
            }
        }
        return out.toString();
    }

    /** Where {@code actual} differs from the shape, or null when it matches. */
    static String mismatch(JsonNode shape, JsonNode actual, String path) {
        if (shape.isString() && shape.asString().equals(ANY)) {
            return null;
        }
        if (actual == null || actual.isMissingNode()) {
            return path + ": missing";
        }
        if (shape.isObject()) {
            if (!actual.isObject()) {
                return path + ": expected an object, got " + actual;
            }
            Set<String> shown = new HashSet<>();
            for (var entry : shape.properties()) {
                if (entry.getKey().equals(ANY)) {
                    continue;
                }
                shown.add(entry.getKey());
                if (!actual.has(entry.getKey())) {
                    return path + "." + entry.getKey() + ": missing";
                }
                String m = mismatch(entry.getValue(), actual.get(entry.getKey()), path + "." + entry.getKey());
                if (m != null) {
                    return m;
                }
            }
            if (!shape.has(ANY)) {
                for (String name : actual.propertyNames()) {
                    if (!shown.contains(name)) {
                        return path + ": has '" + name + "', which the docs do not show (add it, or '...')";
                    }
                }
            }
            return null;
        }
        if (shape.isArray()) {
            if (!actual.isArray()) {
                return path + ": expected an array, got " + actual;
            }
            int first = -1;
            int last = -1;
            for (int i = 0; i < shape.size(); i++) {
                if (shape.get(i).isString() && shape.get(i).asString().equals(ANY)) {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            int head = first < 0 ? shape.size() : first;
            int tail = first < 0 ? 0 : shape.size() - last - 1;
            if (first < 0 ? actual.size() != shape.size() : actual.size() < head + tail) {
                return path + ": " + actual.size() + " elements, the docs show " + shape.size();
            }
            for (int i = 0; i < head; i++) {
                String m = mismatch(shape.get(i), actual.get(i), path + "[" + i + "]");
                if (m != null) {
                    return m;
                }
            }
            for (int i = 0; i < tail; i++) {
                int a = actual.size() - tail + i;
                String m = mismatch(shape.get(last + 1 + i), actual.get(a), path + "[" + a + "]");
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (shape.isNumber()) {
            double e = shape.asDouble();
            return actual.isNumber() && Math.abs(actual.asDouble() - e) <= 1e-3 * Math.max(1, Math.abs(e))
                    ? null
                    : path + ": expected about " + e + ", got " + actual;
        }
        if (shape.isString()) {
            return actual.isString() && glob(shape.asString(), actual.asString())
                    ? null
                    : path + ": expected " + shape + ", got " + actual;
        }
        return shape.equals(actual) ? null : path + ": expected " + shape + ", got " + actual;
    }

    /** {@code ...} in {@code pattern} matches any text (newlines too); the rest literally. */
    static boolean glob(String pattern, String text) {
        String[] parts = pattern.split(Pattern.quote("..."), -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
    }
}
