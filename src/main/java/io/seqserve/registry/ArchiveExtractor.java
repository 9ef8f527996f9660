package io.seqserve.registry;

import io.seqserve.Failure;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a .zip or .tar.gz into a directory, refusing what could escape it or exhaust the disk:
 * absolute names, {@code ..}, links, special files, too many entries, too many bytes (counted as read,
 * not as the archive claims). An archive that cannot be read is a 400 like any other bad upload.
 */
final class ArchiveExtractor {

    private final long maxBytes;
    private final int maxEntries;

    ArchiveExtractor(long maxBytes, int maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    void extract(InputStream raw, String filename, Path target) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(4);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 'P' && b1 == 'K') {
            extractZip(in, filename, target);
        } else if (b0 == 0x1f && b1 == 0x8b) {
            TarArchiveInputStream tar;
            try {
                tar = new TarArchiveInputStream(new GzipCompressorInputStream(in));
            } catch (IOException e) {
                throw unreadable(filename, e.getMessage());
            }
            extract(tar, filename, target);
        } else {
            throw invalid("'" + filename + "' is neither a .zip nor a .tar.gz archive");
        }
    }

    /**
     * A zip marks symlinks only in its central directory, at the end, which a streaming reader never
     * sees (it would unpack a link as a plain file): spool the upload, check the directory, then stream.
     */
    private void extractZip(InputStream in, String filename, Path target) throws IOException {
        Path spool = Files.createTempFile("seqserve-upload-", ".zip");
        try {
            Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
            checkCentralDirectory(spool, filename);
            try (InputStream zip = Files.newInputStream(spool)) {
                extract(new ZipArchiveInputStream(zip), filename, target);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private void extract(ArchiveInputStream<? extends ArchiveEntry> archive, String filename, Path target)
            throws IOException {
        try (archive) {
            long written = 0;
            int entries = 0;
            while (true) {
                ArchiveEntry entry;
                try {
                    entry = archive.getNextEntry();
                } catch (IOException e) {
                    throw unreadable(filename, e.getMessage());
                }
                if (entry == null) {
                    return;
                }
                if (++entries > maxEntries) {
                    throw tooManyEntries();
                }
                Path destination = destination(target, entry.getName());
                if (isLinkOrSpecial(entry)) {
                    throw invalid("entry '" + entry.getName() + "' is a link or special file");
                }
                try {
                    if (entry.isDirectory()) {
                        Files.createDirectories(destination);
                        continue;
                    }
                    Files.createDirectories(destination.getParent());
                } catch (FileAlreadyExistsException e) {
                    throw invalid("entry '" + entry.getName() + "' clashes with a file of the same name");
                }
                if (Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
                    throw invalid("entry '" + entry.getName() + "' clashes with a directory of the same name");
                }
                written += copyLimited(archive, filename, destination, maxBytes - written);
            }
        }
    }

    /**
     * Walks the zip central directory record by record (as ZipFile would, but keeping nothing): more
     * than {@code maxEntries} records, or one whose Unix mode is a link or special file, is refused.
     */
    private void checkCentralDirectory(Path zip, String filename) throws IOException {
        try (FileChannel channel = FileChannel.open(zip)) {
            long size = channel.size();
            int tailLength = (int) Math.min(size, 22 + 0xFFFF);
            ByteBuffer tail = read(channel, size - tailLength, tailLength);
            int eocd = -1;
            for (int i = tailLength - 22; i >= 0 && eocd < 0; i--) {
                if (tail.getInt(i) == 0x06054b50) {
                    eocd = i;
                }
            }
            if (eocd < 0) {
                throw unreadable(filename, "no zip central directory");
            }
            long offset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
            if (eocd >= 20 && tail.getInt(eocd - 20) == 0x07064b50) {
                ByteBuffer zip64 = read(channel, tail.getLong(eocd - 20 + 8), 56);
                if (zip64 == null || zip64.getInt(0) != 0x06064b50) {
                    throw unreadable(filename, "broken zip64 end of central directory");
                }
                offset = zip64.getLong(48);
            }
            int records = 0;
            ByteBuffer header;
            while ((header = read(channel, offset, 46)) != null && header.getInt(0) == 0x02014b50) {
                if (++records > maxEntries) {
                    throw tooManyEntries();
                }
                int nameLength = header.getShort(28) & 0xFFFF;
                int type = (header.getInt(38) >>> 16) & 0xF000;
                boolean unix = (header.getShort(4) >> 8 & 0x0F) == 3;
                if (unix && type != 0 && type != 0x8000 && type != 0x4000) {
                    ByteBuffer name = read(channel, offset + 46, nameLength);
                    throw invalid("entry '" + (name == null ? "?" : StandardCharsets.UTF_8.decode(name))
                            + "' is a link or special file");
                }
                offset += 46L + nameLength + (header.getShort(30) & 0xFFFF) + (header.getShort(32) & 0xFFFF);
            }
        }
    }

    /** {@code length} bytes at {@code position}, little-endian, or null when the file is shorter. */
    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        if (position < 0 || position + length > channel.size()) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer.flip();
    }

    private static Path destination(Path target, String name) {
        String normalized = name.replace('\\', '/');
        if (normalized.startsWith("/") || normalized.matches("^[A-Za-z]:.*") || normalized.contains("\0")) {
            throw invalid("entry '" + name + "' has an absolute path");
        }
        for (String part : normalized.split("/")) {
            if (part.equals("..")) {
                throw invalid("entry '" + name + "' escapes the target directory");
            }
        }
        Path destination = target.resolve(normalized).normalize();
        if (!destination.startsWith(target)) {
            throw invalid("entry '" + name + "' escapes the target directory");
        }
        return destination;
    }

    private static boolean isLinkOrSpecial(ArchiveEntry entry) {
        if (entry instanceof TarArchiveEntry tar) {
            return tar.isSymbolicLink()
                    || tar.isLink()
                    || tar.isCharacterDevice()
                    || tar.isBlockDevice()
                    || tar.isFIFO();
        }
        if (entry instanceof ZipArchiveEntry zip) {
            return zip.isUnixSymlink();
        }
        return false;
    }

    private static long copyLimited(InputStream in, String filename, Path destination, long budget) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(destination)) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw unreadable(filename, e.getMessage());
                }
                if (n < 0) {
                    return total;
                }
                total += n;
                if (total > budget) {
                    throw Failure.tooLarge("the archive unpacks to more than the allowed size");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private Failure tooManyEntries() {
        String message = "the archive has more than " + maxEntries + " entries (seqserve.models.max-archive-entries)";
        return new Failure(
                Failure.Kind.TOO_LARGE,
                "file: " + message,
                List.of(new Failure.FieldError("file", message)),
                null,
                null);
    }

    private static Failure unreadable(String filename, String reason) {
        return invalid("'" + filename + "' is not a readable archive: " + reason);
    }

    private static Failure invalid(String message) {
        return Failure.invalid("file", message);
    }
}
