package io.seqserve.live;

import io.seqserve.StrictJson;
import io.seqserve.registry.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Session snapshots under {@code <data dir>/sessions/<id>.json}, each written whole (temp file, fsync, rename),
 * so a crash leaves the previous snapshot or the new one, never half of one.
 */
@Component
class SnapshotStore {

    /** One session as written: where it stands, and its task's state ({@link LiveTask#encode}). */
    record Snapshot(
            String id,
            String task,
            String model,
            long version,
            String createdAt,
            long ttlSeconds,
            String lastUsedAt,
            JsonNode data) {}

    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);
    private static final Pattern FILE = Pattern.compile(LiveSessions.ID_PATTERN + "\\.json");

    private final Path dir;

    SnapshotStore(@Value("${seqserve.data.dir:data}") Path dataDir) {
        this.dir = dataDir.toAbsolutePath().normalize().resolve("sessions");
    }

    Path dir() {
        return dir;
    }

    void write(Snapshot snapshot) throws IOException {
        AtomicFiles.writeString(file(snapshot.id()), StrictJson.MAPPER.writeValueAsString(snapshot));
    }

    void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            log.warn("cannot delete the snapshot of session {}: {}", id, e.toString());
        }
    }

    /** Every readable snapshot; an unreadable one is logged and left where it is. */
    List<Snapshot> readAll() {
        List<Snapshot> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                if (!FILE.matcher(file.getFileName().toString()).matches()) {
                    continue;
                }
                try {
                    all.add(StrictJson.MAPPER.readValue(Files.readString(file), Snapshot.class));
                } catch (IOException | JacksonException e) {
                    log.warn("cannot read the session snapshot {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("cannot list the session snapshots in {}: {}", dir, e.toString());
        }
        return all;
    }

    private Path file(String id) {
        return dir.resolve(id + ".json");
    }
}
