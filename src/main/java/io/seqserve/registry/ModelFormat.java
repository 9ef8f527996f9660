package io.seqserve.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The artifact kinds a version directory can hold, and the DJL engine that runs each. */
public enum ModelFormat {
    SAVEDMODEL("TensorFlow", null),
    TORCHSCRIPT("PyTorch", ".pt"),
    ONNX("OnnxRuntime", ".onnx"),
    DJL("PyTorch", ".params");

    private final String engine;
    private final String extension;

    ModelFormat(String engine, String extension) {
        this.engine = engine;
        this.extension = extension;
    }

    public String engine() {
        return engine;
    }

    public String id() {
        return name().toLowerCase();
    }

    public static Optional<ModelFormat> parse(String value) {
        for (ModelFormat f : values()) {
            if (f.id().equals(value)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The format a version directory holds, as its load will see it: the manifest's {@code format} when it
     * declares one, else what {@link #detect} finds; empty when neither says (or the directory is unreadable:
     * the load reports why).
     */
    public static Optional<ModelFormat> of(Path dir) {
        try {
            String declared = ManifestReader.read(dir).format();
            return declared != null ? parse(declared) : detect(dir);
        } catch (ManifestReader.InvalidManifestException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** Finds the format from the files of a version directory. */
    public static Optional<ModelFormat> detect(Path dir) {
        if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            return Optional.of(SAVEDMODEL);
        }
        for (ModelFormat f : List.of(TORCHSCRIPT, ONNX, DJL)) {
            if (artifact(dir, f).isPresent()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The single model file of a file-based format, e.g. {@code model.pt}. */
    public static Optional<Path> artifact(Path dir, ModelFormat format) {
        if (format.extension == null) {
            return Optional.of(dir.resolve("saved_model.pb"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().endsWith(format.extension))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
            return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
