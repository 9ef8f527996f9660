package io.seqserve.docs;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An event stream against the lines the docs show ({@code event: status}, {@code data: {...}}): each shown
 * line must come, in this order, with other lines allowed between them; a {@code data:} object is matched as
 * a {@link Shapes shape}, anything else as text with {@code ...} wildcards.
 */
final class Events {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Events() {}

    static String mismatch(List<String> shown, String body) {
        List<String[]> actual = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            if (!line.isBlank() && !line.startsWith(":")) {
                actual.add(field(line));
            }
        }
        int at = 0;
        for (String expected : shown) {
            String[] want = field(expected);
            boolean found = false;
            while (at < actual.size() && !found) {
                found = matches(want, actual.get(at++));
            }
            if (!found) {
                return "the stream has no '" + expected + "' where the docs show it; it was: "
                        + (body.length() > 800 ? body.substring(0, 800) + "..." : body);
            }
        }
        return null;
    }

    private static boolean matches(String[] want, String[] got) {
        if (!want[0].equals(got[0])) {
            return false;
        }
        // an object is a shape; anything else ([DONE], plain text) is compared as text
        JsonNode shape = want[0].equals("data") && want[1].startsWith("{") ? Shapes.parse(want[1]) : null;
        if (shape == null) {
            return Shapes.glob(want[1], got[1]);
        }
        try {
            return Shapes.mismatch(shape, JSON.readTree(got[1]), "$") == null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code name:value} (one space after the colon is not part of the value, as in the SSE format). */
    private static String[] field(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return new String[] {line, ""};
        }
        String value = line.substring(colon + 1);
        return new String[] {line.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value};
    }
}
