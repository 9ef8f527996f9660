package io.seqserve.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a valid request body into a hostile one, deterministically for a given random generator: values
 * replaced by values of other types or extreme ones, fields dropped, added or repeated, nesting deepened,
 * and at the byte level truncation, flipped bytes, invalid or overlong UTF-8, or noise. Every string it
 * invents contains {@link #MARK}, so a test can check that none became a metric tag.
 */
final class Mutator {

    static final String MARK = "qz";
    /** Deep trees are part of the point: limits far above the server's (1000), so the server's are what is tested. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(100_000)
                            .build())
                    .streamWriteConstraints(StreamWriteConstraints.builder()
                            .maxNestingDepth(100_000)
                            .build())
                    .build())
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] NUMBERS = {
        "0",
        "-1",
        "1.5",
        "-0.0",
        "1e999",
        "-1e999",
        "1e-400",
        "9007199254740993",
        "99999999999999999999999",
        "2147483648",
        "-2147483649",
        "1" + "0".repeat(400),
        "NaN",
        "Infinity",
        "-Infinity",
        "0x10",
        "01",
        "1.",
        ".5"
    };
    private static final String[] STRINGS = {
        "",
        " ",
        MARK,
        MARK + "\u0000",
        MARK + "/../..",
        MARK + "%2F",
        MARK + "\u202e",
        MARK + "é€😀",
        "../" + MARK,
        "/" + MARK,
        MARK + "\\",
        "1",
        "true",
        "null",
        MARK + "'\"<>&",
        MARK.repeat(3000)
    };

    private final SplittableRandom random;

    Mutator(SplittableRandom random) {
        this.random = random;
    }

    /** A mutated body: 1-3 tree mutations, then, one time in four, damage at the byte level. */
    byte[] mutate(JsonNode valid) {
        JsonNode tree = valid.deepCopy();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            tree = mutateTree(tree);
        }
        String text = write(tree);
        if (random.nextInt(5) == 0) {
            text = textual(text);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return random.nextInt(4) == 0 ? damage(bytes) : bytes;
    }

    JsonNode mutateTree(JsonNode root) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty() || random.nextInt(12) == 0) {
            return randomValue(2);
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            int op = random.nextInt(4);
            if (op == 0 || names.isEmpty()) {
                object.set(MARK + random.nextInt(100), randomValue(2)); // an unknown field
            } else if (op == 1) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(names.get(random.nextInt(names.size())), randomValue(2));
            }
        } else if (target instanceof ArrayNode array) {
            int op = random.nextInt(4);
            if (op == 0 || array.isEmpty()) {
                array.add(randomValue(2));
            } else if (op == 1) {
                array.remove(random.nextInt(array.size()));
            } else {
                array.set(random.nextInt(array.size()), randomValue(2));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainer()) {
            into.add(node);
            for (Iterator<JsonNode> it = node.values().iterator(); it.hasNext(); ) {
                collect(it.next(), into);
            }
        }
    }

    /** A value of any JSON type, extreme ones included. Numbers that JSON cannot carry are added textually. */
    JsonNode randomValue(int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 6)) {
            case 0:
                return NODES.nullNode();
            case 1:
                return NODES.booleanNode(random.nextBoolean());
            case 2:
                return NODES.numberNode(random.nextInt(-5, 5000));
            case 3:
                return NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-5, 30)));
            case 4:
                return NODES.stringNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 5:
                return NODES.stringNode(MARK + Long.toHexString(random.nextLong()));
            case 6: {
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    array.add(randomValue(depth - 1));
                }
                return array;
            }
            case 7: {
                ObjectNode object = NODES.objectNode();
                object.set(MARK + random.nextInt(10), randomValue(depth - 1));
                return object;
            }
            default: {
                JsonNode nested = NODES.numberNode(1);
                int levels =
                        random.nextInt(2) == 0 ? random.nextInt(40) : 300 + random.nextInt(150); // deeper: damage()
                for (int i = 0; i < levels; i++) {
                    nested = NODES.arrayNode().add(nested);
                }
                return nested;
            }
        }
    }

    /** Replaces one number in the JSON text by a spelling JSON forbids or a parser may choke on. */
    private String textual(String json) {
        int at = firstDigit(json, random.nextInt(Math.max(1, json.length())));
        if (at < 0) {
            return json + (random.nextBoolean() ? "" : " {\"" + MARK + "\": 1}"); // trailing tokens
        }
        int end = at;
        while (end < json.length() && "0123456789.eE+-".indexOf(json.charAt(end)) >= 0) {
            end++;
        }
        return json.substring(0, at) + NUMBERS[random.nextInt(NUMBERS.length)] + json.substring(end);
    }

    private static int firstDigit(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i)) && (i == 0 || "\"\\".indexOf(s.charAt(i - 1)) < 0)) {
                return i;
            }
        }
        return -1;
    }

    /** Byte-level damage: truncation, a flipped byte, bad or overlong UTF-8, a duplicate key, noise. */
    byte[] damage(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        switch (random.nextInt(6)) {
            case 0 -> out.write(bytes, 0, at);
            case 1 -> {
                out.write(bytes, 0, bytes.length);
                byte[] copy = out.toByteArray();
                if (copy.length > 0) {
                    copy[at] = (byte) random.nextInt(256);
                }
                return copy;
            }
            case 2 -> {
                out.write(bytes, 0, at);
                byte[][] bad = {
                    {(byte) 0xC0, (byte) 0xAF},
                    {(byte) 0xFF},
                    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xE2, (byte) 0x82},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
                };
                out.writeBytes(bad[random.nextInt(bad.length)]);
                out.write(bytes, at, bytes.length - at);
            }
            case 3 -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                int brace = text.indexOf('{');
                String dup = brace < 0
                        ? text
                        : text.substring(0, brace + 1) + "\"a\":1,\"a\":2," + text.substring(brace + 1);
                out.writeBytes(dup.getBytes(StandardCharsets.UTF_8));
            }
            case 4 -> {
                byte[] noise = new byte[random.nextInt(1, 300)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            }
            default -> out.writeBytes(("[".repeat(random.nextInt(1, 3000))).getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    static String write(JsonNode tree) {
        return JSON.writeValueAsString(tree);
    }

    static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    /** Picks one entry of a map of weighted choices. */
    <T> T pick(Map<T, Integer> weights) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int r = random.nextInt(total);
        for (Map.Entry<T, Integer> e : weights.entrySet()) {
            r -= e.getValue();
            if (r < 0) {
                return e.getKey();
            }
        }
        throw new IllegalStateException();
    }
}
