package io.seqserve.training.nn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.seqserve.registry.AtomicFiles;
import io.seqserve.training.data.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's checkpoints under {@code <job dir>/checkpoints/<epoch>-<batch>/}: the current and best
 * parameters and the loop's state. Each is written in a temporary directory, flushed and renamed into
 * place, so the newest complete checkpoint is always whole; older ones are removed after.
 */
public final class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern NAME = Pattern.compile("[0-9]{6}-[0-9]{6}");

    private final Path dir;

    public Checkpoints(Path dir) {
        this.dir = dir;
    }

    /** The loop state without the parameter bytes, as {@code state.json} holds it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Meta(
            int epoch,
            int batch,
            double partialLoss,
            long partialSamples,
            long partialNanos,
            List<EpochStats> history,
            double bestValLoss,
            int bestEpoch,
            int badEpochs) {}

    public void write(EpochLoop.State state) {
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempDirectory(dir, ".tmp-");
            Files.write(temp.resolve("params.bin"), state.params());
            if (state.best() != null) {
                Files.write(temp.resolve("best.bin"), state.best());
            }
            Meta meta = new Meta(
                    state.epoch(),
                    state.batch(),
                    state.partialLoss(),
                    state.partialSamples(),
                    state.partialNanos(),
                    state.history(),
                    finite(state.bestValLoss()),
                    state.bestEpoch(),
                    state.badEpochs());
            Files.writeString(temp.resolve("state.json"), Json.FILES.writeValueAsString(meta));
            AtomicFiles.fsyncTree(temp);
            String name = String.format("%06d-%06d", state.epoch(), state.batch());
            AtomicFiles.move(temp, dir.resolve(name));
            removeAllBut(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint under " + dir, e);
        }
    }

    /** The newest readable checkpoint, if any. */
    public Optional<EpochLoop.State> latest() {
        List<Path> complete = complete().toList();
        for (int i = complete.size() - 1; i >= 0; i--) {
            Optional<EpochLoop.State> state = read(complete.get(i));
            if (state.isPresent()) {
                return state;
            }
        }
        return Optional.empty();
    }

    private static Optional<EpochLoop.State> read(Path path) {
        try {
            Meta meta = Json.FILES.readValue(path.resolve("state.json").toFile(), Meta.class);
            Path best = path.resolve("best.bin");
            return Optional.of(new EpochLoop.State(
                    meta.epoch(),
                    meta.batch(),
                    meta.partialLoss(),
                    meta.partialSamples(),
                    meta.partialNanos(),
                    Files.readAllBytes(path.resolve("params.bin")),
                    Files.exists(best) ? Files.readAllBytes(best) : null,
                    meta.history(),
                    meta.bestEpoch() == 0 ? Double.POSITIVE_INFINITY : meta.bestValLoss(),
                    meta.bestEpoch(),
                    meta.badEpochs()));
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring unreadable checkpoint {}: {}", path, e.toString());
            return Optional.empty();
        }
    }

    public void clear() {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            log.warn("could not remove checkpoints {}: {}", dir, e.toString());
        }
    }

    private Stream<Path> complete() {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void removeAllBut(String keep) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : (Iterable<Path>) children::iterator) {
                if (!p.getFileName().toString().equals(keep)) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
