package io.seqserve.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The file side of the repository: {@code <root>/<name>/<version>/} read as a tree, and the staging
 * area {@code <root>/.staging} where versions are prepared and removed, always by one rename on the
 * same volume so the scanner never sees half a version.
 */
final class ModelTree {

    static final Pattern VERSION_DIR = Pattern.compile("[0-9]{1,18}");
    private static final String STAGING = ".staging";
    private static final Logger log = LoggerFactory.getLogger(ModelTree.class);

    private ModelTree() {}

    /** Model name -> version -> directory, for names matching {@code names} and positive numeric versions. */
    static Map<String, Map<Long, Path>> read(Path root, Pattern names) {
        Map<String, Map<Long, Path>> tree = new TreeMap<>();
        try (Stream<Path> models = Files.list(root)) {
            for (Path modelDir : (Iterable<Path>) models::iterator) {
                String name = modelDir.getFileName().toString();
                if (!names.matcher(name).matches() || !Files.isDirectory(modelDir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Map<Long, Path> versions = new TreeMap<>();
                try (Stream<Path> children = Files.list(modelDir)) {
                    for (Path dir : (Iterable<Path>) children::iterator) {
                        String v = dir.getFileName().toString();
                        if (VERSION_DIR.matcher(v).matches() && Long.parseLong(v) > 0 && Files.isDirectory(dir)) {
                            versions.put(Long.parseLong(v), dir);
                        }
                    }
                }
                if (!versions.isEmpty()) {
                    tree.put(name, versions);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the models root " + root, e);
        }
        return tree;
    }

    static long highestVersion(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            return 0;
        }
        try (Stream<Path> children = Files.list(modelDir)) {
            return children.map(p -> p.getFileName().toString()).filter(s -> VERSION_DIR.matcher(s).matches())
                    .mapToLong(Long::parseLong).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant creationTime(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    /** A fresh directory on the models volume for preparing a version before it is published. */
    static Path stagingDir(Path root) {
        try {
            Path staging = root.resolve(STAGING);
            Files.createDirectories(staging);
            return Files.createTempDirectory(staging, "upload-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory under " + root, e);
        }
    }

    /** Takes a version directory out of the tree with one rename; the caller deletes it at leisure. */
    static Path moveToTrash(Path root, Path dir) {
        try {
            Path trash = root.resolve(STAGING).resolve("deleted-" + UUID.randomUUID());
            Files.createDirectories(trash.getParent());
            AtomicFiles.move(dir, trash);
            return trash;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    static void deleteQuietly(Path dir) {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    static void deleteIfEmpty(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            if (children.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            log.debug("left {} in place: {}", dir, e.toString());
        }
    }
}
