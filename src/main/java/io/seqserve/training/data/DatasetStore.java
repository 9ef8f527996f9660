package io.seqserve.training.data;

import io.seqserve.Failure;
import io.seqserve.registry.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * Data sets under {@code <data dir>/datasets/<id>/} ({@code data.csv} or {@code data.txt} plus
 * {@code meta.json}). An upload is written and checked in a temporary directory, then published by one
 * rename, so a crash never leaves a half data set; data sets never change afterwards.
 */
public class DatasetStore {

    private static final Logger log = LoggerFactory.getLogger(DatasetStore.class);
    private static final Pattern ID = Pattern.compile("ds_[0-9a-f]{12}");
    private static final String META = "meta.json";

    private final Path root;
    private final long maxBytes;
    private final Map<String, Dataset> byId = new ConcurrentHashMap<>();

    /** @param maxSize the largest upload ({@code seqserve.training.max-dataset-size}) */
    public DatasetStore(DataProperties data, DataSize maxSize) {
        this.root = data.datasets();
        this.maxBytes = maxSize.toBytes();
        load();
    }

    /** Stores an upload under a checked name; {@code kind} is {@code csv} or {@code text}. */
    public Dataset create(String name, String kind, InputStream body) {
        String id = "ds_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path staging = null;
        try {
            Files.createDirectories(root);
            staging = Files.createTempDirectory(root, ".upload-");
            Path data = staging.resolve(fileName(kind));
            long bytes = copyLimited(body, data);
            Dataset dataset = describe(id, name == null ? id : name, kind, data, bytes);
            AtomicFiles.writeString(staging.resolve(META), Json.FILES.writeValueAsString(dataset));
            AtomicFiles.fsyncTree(staging);
            AtomicFiles.move(staging, root.resolve(id));
            byId.put(id, dataset);
            return dataset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store data set " + id, e);
        } finally {
            deleteQuietly(staging);
        }
    }

    public List<Dataset> list() {
        return byId.values().stream()
                .sorted(Comparator.comparing(Dataset::createdAt).thenComparing(Dataset::id))
                .toList();
    }

    public Dataset get(String id) {
        Dataset dataset = id == null ? null : byId.get(id);
        if (dataset == null) {
            throw Failure.notFound("no data set with id '" + id + "'");
        }
        return dataset;
    }

    /** The data set a job refers to: unknown is 422 (the request is well-formed but unusable). */
    public Dataset forJob(String id, String field) {
        Dataset dataset = id == null ? null : byId.get(id);
        if (dataset == null) {
            throw Failure.unprocessable(field, "no data set with id '" + id + "'");
        }
        return dataset;
    }

    public double[][] numericColumns(Dataset dataset, List<String> names) {
        try (Reader reader = Files.newBufferedReader(dataFile(dataset), StandardCharsets.UTF_8)) {
            return CsvTables.numeric(reader, names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The named columns as text, {@code [column][row]}, null where a value is missing (ids, timestamps). */
    public String[][] textColumns(Dataset dataset, List<String> names) {
        try (Reader reader = Files.newBufferedReader(dataFile(dataset), StandardCharsets.UTF_8)) {
            return CsvTables.text(reader, names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text(Dataset dataset) {
        try {
            return Files.readString(dataFile(dataset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path dataFile(Dataset dataset) {
        return root.resolve(dataset.id()).resolve(fileName(dataset.kind()));
    }

    private static String fileName(String kind) {
        return kind.equals(Dataset.CSV) ? "data.csv" : "data.txt";
    }

    private long copyLimited(InputStream body, Path target) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw Failure.tooLarge(
                            "the data set exceeds " + maxBytes + " bytes (seqserve.training.max-dataset-size)");
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private static Dataset describe(String id, String name, String kind, Path data, long bytes) throws IOException {
        Instant now = Instant.now();
        if (kind.equals(Dataset.CSV)) {
            try (Reader reader = strictUtf8(data)) {
                CsvTables.Summary summary = CsvTables.summarize(reader);
                return new Dataset(id, name, kind, bytes, summary.rows(), summary.columns(), null, now);
            }
        }
        String text;
        try (Reader reader = strictUtf8(data)) {
            text = readAll(reader);
        }
        if (text.isBlank()) {
            throw Failure.badRequest("the text is empty");
        }
        return new Dataset(
                id, name, kind, bytes, text.lines().count(), null, (long) text.codePointCount(0, text.length()), now);
    }

    private static Reader strictUtf8(Path file) throws IOException {
        return new InputStreamReader(
                Files.newInputStream(file),
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private static String readAll(Reader reader) throws IOException {
        try {
            StringBuilder out = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                out.append(buffer, 0, n);
            }
            return out.toString();
        } catch (CharacterCodingException e) {
            throw Failure.badRequest("the data set is not valid UTF-8 text");
        }
    }

    private void load() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> ID.matcher(d.getFileName().toString()).matches()).forEach(dir -> {
                try {
                    Dataset dataset = Json.FILES.readValue(dir.resolve(META).toFile(), Dataset.class);
                    byId.put(dataset.id(), dataset);
                } catch (RuntimeException e) {
                    log.warn("skipping data set {}: {}", dir, e.getMessage());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data sets under " + root, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            log.debug("left {} behind: {}", dir, e.toString());
        }
    }
}
