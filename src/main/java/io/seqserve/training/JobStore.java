package io.seqserve.training;

import io.seqserve.registry.AtomicFiles;
import io.seqserve.training.data.DataProperties;
import io.seqserve.training.data.DurableWriter;
import io.seqserve.training.data.Json;
import io.seqserve.training.nn.Checkpoints;
import io.seqserve.training.nn.EpochLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job records, one {@code <data dir>/jobs/<id>/job.json} each, replaced atomically (temp file, flush,
 * rename) so a crash leaves the previous or the new record, never half of one; the job's checkpoints
 * live beside it. Status changes are written before the caller goes on; per-epoch progress is written
 * in the background (newest wins).
 */
@Component
class JobStore {

    private static final Logger log = LoggerFactory.getLogger(JobStore.class);
    static final Pattern ID = Pattern.compile("job_[0-9a-f]{12}");
    private static final String RECORD = "job.json";
    /** Records keep the request as it was bound then; an older version bound it more leniently. */
    private static final JsonMapper READER = StrictBody.ignoredBy(Json.FILES);

    private final Path root;
    private final DurableWriter writer;

    JobStore(DataProperties data, DurableWriter writer) {
        this.root = data.jobs();
        this.writer = writer;
    }

    List<JobView> loadAll() {
        List<JobView> views = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return views;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path record = dir.resolve(RECORD);
                if (ID.matcher(dir.getFileName().toString()).matches() && Files.isRegularFile(record)) {
                    try {
                        views.add(READER.readValue(record.toFile(), JobView.class));
                    } catch (RuntimeException e) {
                        log.error("cannot read job record {}: {}", record, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jobs under " + root, e);
        }
        return views;
    }

    /** Writes the record before returning. */
    void save(JobView view) {
        writer.now(key(view.id()), () -> write(view));
    }

    /** Writes the record soon; a newer record of the same job replaces this one if it is still waiting. */
    void saveLater(JobView view) {
        writer.later(key(view.id()), () -> write(view));
    }

    /** The newest readable checkpoint of a job, if it has one. */
    Optional<EpochLoop.State> checkpoint(String id) {
        return checkpoints(id).latest();
    }

    /** Writes a checkpoint in the background; a newer one of the same job replaces it if it is still waiting. */
    void checkpointLater(String id, EpochLoop.State state) {
        writer.later(checkpointKey(id), () -> checkpoints(id).write(state));
    }

    void checkpointNow(String id, EpochLoop.State state) {
        writer.now(checkpointKey(id), () -> checkpoints(id).write(state));
    }

    /** Removes a job's checkpoints, after any checkpoint write still queued for it. */
    void discardCheckpoints(String id) {
        writer.now(checkpointKey(id), () -> checkpoints(id).clear());
    }

    private Checkpoints checkpoints(String id) {
        return new Checkpoints(root.resolve(id).resolve("checkpoints"));
    }

    private static String checkpointKey(String id) {
        return "checkpoint:" + id;
    }

    private static String key(String id) {
        return "job:" + id;
    }

    private void write(JobView view) {
        try {
            AtomicFiles.writeString(root.resolve(view.id()).resolve(RECORD), Json.FILES.writeValueAsString(view));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of " + view.id(), e);
        }
    }
}
