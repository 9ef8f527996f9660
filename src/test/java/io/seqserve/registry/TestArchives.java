package io.seqserve.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds .zip and .tar.gz archives in memory for the upload tests, well-formed or hostile: entry names
 * are written exactly as given (absolute, {@code ..}), links and oversized content on request.
 */
final class TestArchives {

    enum Kind {
        ZIP(".zip"),
        TAR_GZ(".tar.gz");

        final String extension;

        Kind(String extension) {
            this.extension = extension;
        }
    }

    private record Entry(String name, byte[] content, byte type, String linkTarget) {}

    private static final byte FILE = 0;
    private static final byte DIR = 1;
    private static final byte SYMLINK = 2;
    private static final byte HARDLINK = 3;

    private final Kind kind;
    private final List<Entry> entries = new ArrayList<>();

    private TestArchives(Kind kind) {
        this.kind = kind;
    }

    static TestArchives of(Kind kind) {
        return new TestArchives(kind);
    }

    TestArchives file(String name, byte[] content) {
        entries.add(new Entry(name, content, FILE, null));
        return this;
    }

    TestArchives file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TestArchives dir(String name) {
        entries.add(new Entry(name.endsWith("/") ? name : name + "/", new byte[0], DIR, null));
        return this;
    }

    TestArchives symlink(String name, String target) {
        entries.add(new Entry(name, new byte[0], SYMLINK, target));
        return this;
    }

    /** A tar hard link; zip has none. */
    TestArchives hardlink(String name, String target) {
        entries.add(new Entry(name, new byte[0], HARDLINK, target));
        return this;
    }

    /** Every file and directory below {@code dir}, named {@code prefix + relative path}. */
    TestArchives tree(Path dir, String prefix) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.naturalOrder())::iterator) {
                String relative = dir.relativize(p).toString().replace('\\', '/');
                if (relative.isEmpty()) {
                    if (!prefix.isEmpty()) {
                        dir(prefix);
                    }
                } else if (Files.isDirectory(p)) {
                    dir(prefix + relative);
                } else {
                    file(prefix + relative, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    byte[] bytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (kind == Kind.ZIP) {
                writeZip(bytes);
            } else {
                writeTarGz(bytes);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String filename(String base) {
        return base + kind.extension;
    }

    private void writeZip(OutputStream out) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                byte[] content = e.content();
                switch (e.type()) {
                    case DIR -> entry.setUnixMode(UnixStat.DIR_FLAG | 0755);
                    case SYMLINK -> {
                        entry.setUnixMode(UnixStat.LINK_FLAG | 0777);
                        content = e.linkTarget().getBytes(StandardCharsets.UTF_8);
                    }
                    case HARDLINK -> throw new IllegalArgumentException("zip has no hard links");
                    default -> entry.setUnixMode(UnixStat.FILE_FLAG | 0644);
                }
                zip.putArchiveEntry(entry);
                zip.write(content);
                zip.closeArchiveEntry();
            }
        }
    }

    private void writeTarGz(OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry entry = switch (e.type()) {
                    case SYMLINK -> new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK, true);
                    case HARDLINK -> new TarArchiveEntry(e.name(), TarConstants.LF_LINK, true);
                    default -> new TarArchiveEntry(e.name(), true);
                };
                if (e.linkTarget() != null) {
                    entry.setLinkName(e.linkTarget());
                }
                if (e.type() == FILE) {
                    entry.setSize(e.content().length);
                }
                tar.putArchiveEntry(entry);
                if (e.type() == FILE) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        }
    }
}
