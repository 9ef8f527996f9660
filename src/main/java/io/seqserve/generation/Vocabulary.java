package io.seqserve.generation;

import io.seqserve.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tokens by id and ids by token. A token may be any non-null string; duplicates are an error. */
final class Vocabulary {

    private static final long MAX_FILE_BYTES = 64L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    Vocabulary(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw Failure.unprocessable("the model's text_generation vocabulary is empty");
        }
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.putIfAbsent(tokens.get(i), i) != null) {
                throw Failure.unprocessable(
                        "the model's text_generation vocabulary lists '" + tokens.get(i) + "' twice");
            }
        }
    }

    /** The inline list, else the file: JSON (a list, or an object with a {@code vocab} list) or one token a line. */
    static Vocabulary of(TextGenerationSpec spec, Path versionDir) {
        if (spec.vocabulary() != null && spec.vocabularyFile() != null) {
            throw Failure.unprocessable("text_generation: give vocabulary or vocabulary_file, not both");
        }
        if (spec.vocabulary() != null) {
            if (spec.vocabulary().stream().anyMatch(java.util.Objects::isNull)) {
                throw Failure.unprocessable("the model's text_generation vocabulary contains null");
            }
            return new Vocabulary(spec.vocabulary());
        }
        if (spec.vocabularyFile() == null) {
            throw Failure.unprocessable("text_generation needs a vocabulary or a vocabulary_file");
        }
        return new Vocabulary(read(inside(versionDir, spec.vocabularyFile())));
    }

    /** The file, refused when it resolves (links included) outside the version directory. */
    private static Path inside(Path versionDir, String relative) {
        try {
            Path dir = versionDir.toRealPath();
            Path file = dir.resolve(relative).normalize();
            if (Path.of(relative).isAbsolute()
                    || !file.startsWith(dir)
                    || !Files.isRegularFile(file)
                    || !file.toRealPath().startsWith(dir)) {
                throw Failure.unprocessable(
                        "text_generation.vocabulary_file must name a file inside the version directory: " + relative);
            }
            return file;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw Failure.unprocessable("text_generation.vocabulary_file cannot be read: " + relative);
        }
    }

    private static List<String> read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw Failure.unprocessable("text_generation.vocabulary_file is larger than 64 MB");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (!file.getFileName().toString().endsWith(".json")) {
                return lines(text);
            }
            JsonNode root = JSON.readTree(text);
            JsonNode list = root.isObject() ? root.path("vocab") : root;
            if (!list.isArray()) {
                throw Failure.unprocessable(
                        "text_generation.vocabulary_file: expected a JSON list or an object with a 'vocab' list");
            }
            List<String> tokens = new ArrayList<>();
            for (JsonNode token : list) {
                if (!token.isString()) {
                    throw Failure.unprocessable("text_generation.vocabulary_file: every token must be a string");
                }
                tokens.add(token.asString());
            }
            return tokens;
        } catch (IOException | JacksonException e) {
            throw Failure.unprocessable("text_generation.vocabulary_file cannot be read: " + e.getMessage());
        }
    }

    /** One token a line; a final newline ends the last line rather than starting an empty one. */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (text.isEmpty() || text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    int size() {
        return tokens.size();
    }

    String token(int id) {
        return tokens.get(id);
    }

    /** The id of {@code token}, or -1. */
    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The id of a token the manifest names in {@code field}, which must be in the vocabulary. */
    int required(String token, String field) {
        int id = id(token);
        if (id < 0) {
            throw Failure.unprocessable("text_generation." + field + " '" + token + "' is not in the vocabulary");
        }
        return id;
    }
}
