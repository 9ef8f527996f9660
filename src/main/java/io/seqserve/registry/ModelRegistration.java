package io.seqserve.registry;

import io.seqserve.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.core.io.InputStreamSource;
import org.springframework.stereotype.Service;

/**
 * Prepares a new version from a directory under the models root or from an uploaded archive, in a
 * staging directory on the same volume, then hands it to {@link ModelRegistry#register}. Anything
 * refused here is refused before a byte lands in the repository, and the staging copy is removed.
 */
@Service
class ModelRegistration {

    private final ModelRegistry registry;
    private final ModelsProperties properties;

    ModelRegistration(ModelRegistry registry, ModelsProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    ModelVersion fromPath(String name, String relative) {
        ModelRepository.checkName("name", name);
        Path source = resolveUnderRoot(relative);
        return publish(name, staged -> copyTree(source, staged), null);
    }

    /** An uploaded archive: its file name (which tells zip from tar.gz), size and content. */
    record Archive(String filename, long size, InputStreamSource content) {}

    ModelVersion fromArchive(String name, Archive file, String manifestText) {
        ModelRepository.checkName("name", name);
        if (file == null || file.size() == 0) {
            throw Failure.invalid("file", "an archive (.zip or .tar.gz) of one version directory is required");
        }
        if (file.size() > properties.maxUploadSize().toBytes()) {
            throw Failure.tooLarge("the archive exceeds " + properties.maxUploadSize());
        }
        Manifest manifest = manifestText == null || manifestText.isBlank() ? null : parseManifest(manifestText);
        return publish(
                name,
                staged -> {
                    try (InputStream in = file.content().getInputStream()) {
                        new ArchiveExtractor(properties.maxExtractedSize().toBytes(), properties.maxArchiveEntries())
                                .extract(in, file.filename(), staged);
                    }
                },
                manifest == null ? null : manifestText);
    }

    private interface Filler {
        void fill(Path staged) throws IOException;
    }

    private ModelVersion publish(String name, Filler filler, String manifestText) {
        Path staging = registry.stagingDir();
        try {
            Path content = staging.resolve("content");
            Files.createDirectories(content);
            filler.fill(content);
            Path versionDir = singleSubdirectory(content);
            if (manifestText != null) {
                Files.writeString(versionDir.resolve(ManifestReader.YAML_NAME), manifestText);
                Files.deleteIfExists(versionDir.resolve(ManifestReader.JSON_NAME));
            }
            ManifestReader.read(versionDir);
            if (ModelFormat.detect(versionDir).isEmpty()) {
                throw Failure.unprocessable("no model artifact found: expected saved_model.pb, a .pt or an .onnx file");
            }
            return registry.register(name, versionDir);
        } catch (ManifestReader.InvalidManifestException e) {
            throw e.asApiException();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the new version", e);
        } finally {
            try {
                AtomicFiles.deleteTree(staging);
            } catch (IOException e) {
                // Leftovers in .staging are ignored by the scanner; nothing else depends on them.
            }
        }
    }

    private Path resolveUnderRoot(String relative) {
        if (relative.isBlank()
                || relative.startsWith("/")
                || relative.startsWith("\\")
                || relative.contains("\0")
                || Path.of(relative).isAbsolute()) {
            throw Failure.invalid("path", "must be a relative directory under the models root");
        }
        for (Path part : Path.of(relative)) {
            String p = part.toString();
            if (p.equals("..") || p.equals(".") || p.startsWith(".")) {
                throw Failure.invalid("path", "must not contain '..', '.' or hidden segments");
            }
        }
        Path root = registry.root();
        Path source = root.resolve(relative).normalize();
        Path walked = root;
        for (Path part : root.relativize(source)) {
            walked = walked.resolve(part);
            if (Files.isSymbolicLink(walked)) {
                throw Failure.invalid("path", "must not pass through symbolic links");
            }
        }
        if (!source.startsWith(root) || !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw Failure.invalid("path", "no directory '" + relative + "' under the models root");
        }
        return source;
    }

    /** Copies a directory tree, refusing links and anything that is not a plain file or directory. */
    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile()) {
                    throw Failure.invalid("path", "contains a link or special file: " + source.relativize(file));
                }
                Files.copy(file, target.resolve(source.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Archives often wrap the version in one folder; step into it when that is all there is. */
    private static Path singleSubdirectory(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> all = children.toList();
            if (all.size() == 1
                    && Files.isDirectory(all.get(0), LinkOption.NOFOLLOW_LINKS)
                    && ModelFormat.detect(dir).isEmpty()) {
                return singleSubdirectory(all.get(0));
            }
        }
        return dir;
    }

    private static Manifest parseManifest(String text) {
        try {
            return ManifestReader.parse(text, true);
        } catch (ManifestReader.InvalidManifestException e) {
            throw e.asApiException();
        }
    }
}
