package io.seqserve.registry;

import io.seqserve.Failure;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The repository on disk (TF Serving's Source): {@code <root>/<name>/<version>/} read as a tree, each
 * model's {@code labels.json}, and the staging area {@code <root>/.staging} where versions are prepared
 * and removed. Every change is one rename or one atomic file write on the same volume, so the scanner
 * never sees half a version and a crash loses nothing. Knows files only: no versions in memory, no engines.
 */
@Component
class ModelRepository {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** Refuses a model or label name that is not a {@link #NAME}, naming the request field. */
    static void checkName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw Failure.invalid(field, "must match " + NAME.pattern());
        }
    }

    static final Pattern VERSION_DIR = Pattern.compile("[0-9]{1,18}");
    private static final String STAGING = ".staging";
    private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);

    private final Path root;

    @Autowired
    ModelRepository(ModelsProperties properties) {
        this(properties.root());
    }

    ModelRepository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path modelDir(String name) {
        return root.resolve(name);
    }

    void create() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the models root " + root, e);
        }
    }

    /** Model name -> version -> directory, for valid model names and positive numeric versions. */
    Map<String, Map<Long, Path>> scan() {
        Map<String, Map<Long, Path>> tree = new TreeMap<>();
        try (Stream<Path> models = Files.list(root)) {
            for (Path modelDir : (Iterable<Path>) models::iterator) {
                String name = modelDir.getFileName().toString();
                if (!NAME.matcher(name).matches() || !Files.isDirectory(modelDir, LinkOption.NOFOLLOW_LINKS)) {
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

    static Instant creationTime(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    /** The labels file of a model; throws {@link IllegalStateException} when it cannot be read. */
    Map<String, Long> readLabels(String name) {
        return LabelStore.read(modelDir(name));
    }

    void writeLabels(String name, Map<String, Long> labels) {
        try {
            LabelStore.write(modelDir(name), labels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the labels of " + name, e);
        }
    }

    /** The saved canary weight of a model, null when none; throws {@link IllegalStateException} when unreadable. */
    Double readCanaryWeight(String name) {
        return LabelStore.readCanaryWeight(modelDir(name));
    }

    void writeCanaryWeight(String name, double weight) {
        try {
            LabelStore.writeCanaryWeight(modelDir(name), weight);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the routing of " + name, e);
        }
    }

    /**
     * Moves a prepared directory into place as the version after both {@code known} (what memory holds)
     * and every numbered directory on disk: flushed first, then published by one rename.
     */
    Published publish(String name, long known, Path staged) {
        Path modelDir = modelDir(name);
        long next = Math.max(known, highestVersion(modelDir)) + 1;
        Path target = modelDir.resolve(String.valueOf(next));
        try {
            Files.createDirectories(modelDir);
            AtomicFiles.fsyncTree(staged);
            AtomicFiles.move(staged, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + name + " version " + next, e);
        }
        return new Published(next, target);
    }

    record Published(long version, Path dir) {}

    private static long highestVersion(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            return 0;
        }
        try (Stream<Path> children = Files.list(modelDir)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(s -> VERSION_DIR.matcher(s).matches())
                    .mapToLong(Long::parseLong)
                    .max()
                    .orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory on the models volume for preparing a version before it is published. */
    Path stagingDir() {
        try {
            Path staging = root.resolve(STAGING);
            Files.createDirectories(staging);
            return Files.createTempDirectory(staging, "upload-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory under " + root, e);
        }
    }

    /** Takes a version directory out of the tree with one rename; {@link #discard} deletes it at leisure. */
    Path moveToTrash(Path dir) {
        try {
            Path trash = root.resolve(STAGING).resolve("deleted-" + UUID.randomUUID());
            Files.createDirectories(trash.getParent());
            AtomicFiles.move(dir, trash);
            return trash;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    void discard(Path trash) {
        try {
            AtomicFiles.deleteTree(trash);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", trash, e.toString());
        }
    }

    /** Removes a model's directory once its last version has gone (a labels file alone keeps it). */
    void deleteModelDirIfEmpty(String name) {
        Path dir = modelDir(name);
        try (Stream<Path> children = Files.list(dir)) {
            if (children.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            log.debug("left {} in place: {}", dir, e.toString());
        }
    }

    /**
     * Writes a changed manifest over the one it was read from ({@code seqserve.json} stays JSON, anything
     * else becomes {@code seqserve.yaml}), after validating the text exactly as a load would read it.
     * Returns the manifest as read back.
     */
    Manifest writeManifest(Path versionDir, Manifest next) {
        boolean json = Files.isRegularFile(versionDir.resolve(ManifestReader.JSON_NAME))
                && !Files.isRegularFile(versionDir.resolve(ManifestReader.YAML_NAME));
        String text = json ? ManifestReader.toJson(next) : ManifestReader.toYaml(next);
        Manifest parsed;
        try {
            parsed = ManifestReader.parse(text, !json);
        } catch (ManifestReader.InvalidManifestException e) {
            throw Failure.unprocessable("the changed manifest would be invalid: " + e.getMessage());
        }
        try {
            AtomicFiles.writeString(
                    versionDir.resolve(json ? ManifestReader.JSON_NAME : ManifestReader.YAML_NAME), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest in " + versionDir, e);
        }
        return parsed;
    }
}
