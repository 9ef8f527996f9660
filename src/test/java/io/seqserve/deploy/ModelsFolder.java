package io.seqserve.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A models folder on the host for a container to mount read-write, owned by the image's uid as
 * docs/deployment.md tells users to do ({@code chown -R 10001 models}); when the tests do not run as
 * root, it is made world-writable instead.
 */
final class ModelsFolder implements AutoCloseable {

    private final Path root;
    private final int uid;

    private ModelsFolder(Path root, int uid) {
        this.root = root;
        this.uid = uid;
    }

    static ModelsFolder create(Path under, String uid) throws IOException {
        Files.createDirectories(under);
        ModelsFolder folder = new ModelsFolder(
                Files.createTempDirectory(under.toAbsolutePath(), "it-models-"), Integer.parseInt(uid));
        folder.own(folder.root);
        return folder;
    }

    Path root() {
        return root;
    }

    /** Copies a directory tree to {@code relative} under the folder and hands it to the container's uid. */
    Path copyIn(Path source, String relative) throws IOException {
        Path target = root.resolve(relative);
        Files.createDirectories(target.getParent());
        own(target.getParent());
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path from : walk.toList()) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
                own(to);
            }
        }
        return target;
    }

    private void own(Path path) throws IOException {
        try {
            Files.setAttribute(path, "unix:uid", uid);
            Files.setAttribute(path, "unix:gid", uid);
        } catch (IOException | UnsupportedOperationException | SecurityException notRoot) {
            Files.setPosixFilePermissions(
                    path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxrwxrwx" : "rw-rw-rw-"));
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
