package io.seqserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.Failure;
import io.seqserve.registry.TestArchives.Kind;
import io.seqserve.web.Problems;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Unpacking uploads: what a well-formed archive yields, and every way a hostile one is refused. */
class ArchiveExtractorTest {

    private static final Path MODEL = Path.of("src/test/resources/shared-models/savedmodels/half_plus_two_cpu");

    @TempDir
    Path base;

    Path target;

    @BeforeEach
    void target() throws IOException {
        target = Files.createDirectories(base.resolve("sandbox/target"));
    }

    private void extract(TestArchives archive, long maxBytes, int maxEntries) throws IOException {
        new ArchiveExtractor(maxBytes, maxEntries)
                .extract(new ByteArrayInputStream(archive.bytes()), archive.filename("upload"), target);
    }

    private void extract(TestArchives archive) throws IOException {
        extract(archive, 1 << 20, 100);
    }

    private void assertRefused(TestArchives archive, int status, String reason) {
        assertRefused(archive, 1 << 20, 100, status, reason);
    }

    private void assertRefused(TestArchives archive, long maxBytes, int maxEntries, int status, String reason) {
        assertThatThrownBy(() -> extract(archive, maxBytes, maxEntries)).isInstanceOfSatisfying(Failure.class, e -> {
            assertThat(Problems.status(e.kind())).isEqualTo(status);
            assertThat(e.getMessage()).contains(reason);
        });
        assertNothingOutsideTheTarget();
    }

    /** Only the target exists beside the target, and nothing in the target is a link. */
    private void assertNothingOutsideTheTarget() {
        try (Stream<Path> walk = Files.walk(base)) {
            List<Path> outside = walk.filter(p -> !p.startsWith(target))
                    .filter(p -> !p.equals(base) && !p.equals(target.getParent()))
                    .toList();
            assertThat(outside).as("written outside the target").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (Stream<Path> walk = Files.walk(target)) {
            assertThat(walk.filter(Files::isSymbolicLink).toList())
                    .as("links in the target")
                    .isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    // ---- well-formed archives ----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unpacksAVersionDirectoryWithEveryFileIntact(Kind kind) throws IOException {
        extract(TestArchives.of(kind).tree(MODEL, ""));
        Map<String, byte[]> expected = files(MODEL);
        Map<String, byte[]> actual = files(target);
        assertThat(actual.keySet())
                .isEqualTo(expected.keySet())
                .contains("saved_model.pb", "variables/variables.index");
        expected.forEach((name, bytes) -> assertThat(actual.get(name)).as(name).isEqualTo(bytes));
        assertNothingOutsideTheTarget();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unpacksAWrappedVersionWithEmptyDirectoriesAndNestedFiles(Kind kind) throws IOException {
        extract(TestArchives.of(kind)
                .dir("wrapper")
                .dir("wrapper/assets.extra")
                .file("wrapper/a/b/c.txt", "deep")
                .file("wrapper/./dot.txt", "dot")
                .file("wrapper\\back.txt", "backslash"));
        assertThat(target.resolve("wrapper/assets.extra")).isEmptyDirectory();
        assertThat(target.resolve("wrapper/a/b/c.txt")).hasContent("deep");
        assertThat(target.resolve("wrapper/dot.txt")).hasContent("dot");
        assertThat(target.resolve("wrapper/back.txt")).hasContent("backslash");
        assertNothingOutsideTheTarget();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void acceptsAnArchiveExactlyAtItsLimits(Kind kind) throws IOException {
        byte[] content = new byte[1000];
        Arrays.fill(content, (byte) 7);
        extract(
                TestArchives.of(kind)
                        .file("a.bin", content)
                        .file("b.bin", content)
                        .dir("empty"),
                2000,
                3);
        assertThat(target.resolve("a.bin")).hasBinaryContent(content);
        assertThat(target.resolve("b.bin")).hasBinaryContent(content);
    }

    // ---- hostile archives --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesDotDotEntries(Kind kind) {
        assertRefused(TestArchives.of(kind).file("saved_model.pb", "x").file("../evil.txt", "evil"), 400, "escapes");
        assertRefused(TestArchives.of(kind).file("a/../../evil.txt", "evil"), 400, "escapes");
        assertRefused(TestArchives.of(kind).file("a\\..\\..\\evil.txt", "evil"), 400, "escapes");
        assertThat(target.getParent().resolve("evil.txt")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesAbsoluteEntries(Kind kind) {
        Path outside = base.resolve("absolute-" + UUID.randomUUID() + ".txt");
        assertRefused(TestArchives.of(kind).file(outside.toString(), "evil"), 400, "absolute");
        assertThat(outside).doesNotExist();
        assertRefused(TestArchives.of(kind).file("C:/evil.txt", "evil"), 400, "absolute");
        assertRefused(TestArchives.of(kind).file("\\evil.txt", "evil"), 400, "absolute");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesSymlinks(Kind kind) {
        assertRefused(TestArchives.of(kind).file("saved_model.pb", "x").symlink("variables", "/etc"), 400, "link");
        assertRefused(TestArchives.of(kind).symlink("up", "..").file("up/evil.txt", "evil"), 400, "link");
        assertThat(target.resolve("variables")).doesNotExist();
        assertThat(target.resolve("up")).doesNotExist();
    }

    @Test
    void refusesTarHardLinks() {
        assertRefused(
                TestArchives.of(Kind.TAR_GZ).file("saved_model.pb", "x").hardlink("passwd", "/etc/passwd"),
                400,
                "link");
        assertRefused(TestArchives.of(Kind.TAR_GZ).file("a.txt", "x").hardlink("b.txt", "a.txt"), 400, "link");
        assertThat(target.resolve("passwd")).doesNotExist();
    }

    @Test
    void refusesTarSpecialFiles() throws IOException {
        for (byte type : new byte[] {TarConstants.LF_FIFO, TarConstants.LF_CHR, TarConstants.LF_BLK}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
                tar.putArchiveEntry(new TarArchiveEntry("device", type));
                tar.closeArchiveEntry();
            }
            assertThatThrownBy(() -> new ArchiveExtractor(1 << 20, 100)
                            .extract(new ByteArrayInputStream(bytes.toByteArray()), "special.tar.gz", target))
                    .isInstanceOfSatisfying(
                            Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID));
            assertThat(target.resolve("device")).doesNotExist();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesMoreEntriesThanAllowed(Kind kind) {
        TestArchives archive = TestArchives.of(kind);
        for (int i = 0; i < 4; i++) {
            archive.file("f" + i + ".txt", "x");
        }
        assertRefused(archive, 1 << 20, 3, 413, "more than 3 entries");
        assertThat(target.resolve("f3.txt")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesContentLargerThanAllowedCountingWhatIsRead(Kind kind) {
        // Zeros compress to almost nothing: the limit must apply to what unpacks, not to the upload.
        assertRefused(TestArchives.of(kind).file("big.bin", new byte[4 << 20]), 1 << 20, 100, 413, "allowed size");
        assertThat(target.resolve("big.bin").toFile().length())
                .as("bytes written")
                .isLessThanOrEqualTo(1 << 20);
        assertRefused(
                TestArchives.of(kind).file("a.bin", new byte[600]).file("b.bin", new byte[600]),
                1000,
                100,
                413,
                "allowed size");
        assertThat(target.resolve("b.bin").toFile().length())
                .as("bytes written")
                .isLessThanOrEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesAnEntryThatClashesWithAnEarlierOne(Kind kind) {
        assertRefused(TestArchives.of(kind).dir("x").file("x", "file over a directory"), 400, "clashes");
        assertRefused(TestArchives.of(kind).file("y", "file").file("y/z.txt", "below a file"), 400, "clashes");
    }

    @Test
    void refusesWhatIsNotAnArchive() {
        assertThatThrownBy(() -> new ArchiveExtractor(1 << 20, 100)
                        .extract(
                                new ByteArrayInputStream("just text".getBytes(StandardCharsets.UTF_8)),
                                "notes.txt",
                                target))
                .isInstanceOfSatisfying(Failure.class, e -> {
                    assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID);
                    assertThat(e.getMessage()).contains("neither a .zip nor a .tar.gz");
                });
        assertThatThrownBy(() -> new ArchiveExtractor(1 << 20, 100)
                        .extract(new ByteArrayInputStream(new byte[0]), "empty.zip", target))
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesACorruptOrTruncatedArchiveAsABadRequest(Kind kind) {
        byte[] good = TestArchives.of(kind).tree(MODEL, "").bytes();
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        byte[] garbage = Arrays.copyOf(good, 64);
        Arrays.fill(garbage, 2, 64, (byte) 0x5a);
        for (byte[] broken : List.of(truncated, garbage)) {
            assertThatThrownBy(() -> new ArchiveExtractor(1 << 20, 100)
                            .extract(new ByteArrayInputStream(broken), "broken" + kind.extension, target))
                    .isInstanceOfSatisfying(
                            Failure.class, e -> assertThat(e.kind()).isEqualTo(Failure.Kind.INVALID));
        }
        assertNothingOutsideTheTarget();
    }
}
