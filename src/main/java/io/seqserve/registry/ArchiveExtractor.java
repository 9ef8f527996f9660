package io.seqserve.registry;

import io.seqserve.ApiException;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unpacks a .zip or .tar.gz into a directory, refusing what could escape it or exhaust the disk:
 * absolute names, {@code ..}, links, special files, too many entries, too many bytes (counted as read,
 * not as the archive claims).
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
        try (ArchiveInputStream<? extends ArchiveEntry> archive = open(in, b0, b1, filename)) {
            long written = 0;
            int entries = 0;
            ArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                if (++entries > maxEntries) {
                    throw invalid("the archive has more than " + maxEntries + " entries");
                }
                Path destination = destination(target, entry.getName());
                if (isLinkOrSpecial(entry)) {
                    throw invalid("entry '" + entry.getName() + "' is a link or special file");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                written += copyLimited(archive, destination, maxBytes - written);
            }
        }
    }

    private static ArchiveInputStream<? extends ArchiveEntry> open(InputStream in, int b0, int b1, String filename) throws IOException {
        if (b0 == 'P' && b1 == 'K') {
            return new ZipArchiveInputStream(in);
        }
        if (b0 == 0x1f && b1 == 0x8b) {
            return new TarArchiveInputStream(new GzipCompressorInputStream(in));
        }
        throw invalid("'" + filename + "' is neither a .zip nor a .tar.gz archive");
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
            return tar.isSymbolicLink() || tar.isLink() || tar.isCharacterDevice() || tar.isBlockDevice() || tar.isFIFO();
        }
        if (entry instanceof ZipArchiveEntry zip) {
            return zip.isUnixSymlink();
        }
        return false;
    }

    private static long copyLimited(InputStream in, Path destination, long budget) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(destination)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > budget) {
                    throw new ApiException(413, "Payload Too Large", "the archive unpacks to more than the allowed size",
                            java.util.List.of(), null);
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private static ApiException invalid(String message) {
        return ApiException.invalid("file", message);
    }
}
