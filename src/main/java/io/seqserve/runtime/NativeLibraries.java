package io.seqserve.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the TensorFlow natives loadable offline. The only TF 2.16.1 native jar is the CUDA 12 build; DJL
 * refuses it on a CPU host and would download instead. Extracting its {@code native/lib} once into a
 * cache directory and pointing {@code TENSORFLOW_LIBRARY_PATH} at it makes the same build run on CPU
 * (and on a CUDA 12 host, on the GPU). Must run before the TensorFlow engine first loads.
 */
public final class NativeLibraries {

    static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
    private static final String PROPERTIES = "native/lib/tensorflow.properties";
    private static final Logger log = LoggerFactory.getLogger(NativeLibraries.class);

    private NativeLibraries() {}

    /**
     * Returns the directory TensorFlow will load from, extracting it under {@code cacheRoot} when it is
     * not there yet, or {@code null} when no TF native jar is on the class path. An explicit
     * {@code TENSORFLOW_LIBRARY_PATH} (as a Docker image sets it) wins.
     */
    public static synchronized Path prepareTensorFlow(Path cacheRoot) {
        String explicit =
                System.getenv(LIBRARY_PATH) != null ? System.getenv(LIBRARY_PATH) : System.getProperty(LIBRARY_PATH);
        if (explicit != null && Files.isDirectory(Path.of(explicit))) {
            return Path.of(explicit);
        }
        ClassLoader loader = NativeLibraries.class.getClassLoader();
        Properties props = new Properties();
        try (InputStream in = loader.getResourceAsStream(PROPERTIES)) {
            if (in == null) {
                return null;
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROPERTIES, e);
        }
        String version = props.getProperty("version") + "-" + props.getProperty("classifier");
        Path target = cacheRoot.resolve("tensorflow-" + version);
        if (!Files.isRegularFile(target.resolve("tensorflow.properties"))) {
            extract(loader, props.getProperty("libraries").split(","), cacheRoot, target);
        }
        System.setProperty(LIBRARY_PATH, target.toString());
        return target;
    }

    private static void extract(ClassLoader loader, String[] libraries, Path cacheRoot, Path target) {
        long start = System.nanoTime();
        Path temp = null;
        try {
            Files.createDirectories(cacheRoot);
            temp = Files.createTempDirectory(cacheRoot, ".extract-");
            for (String name : libraries) {
                copy(loader, "native/lib/" + name.trim(), temp.resolve(name.trim()));
            }
            // The properties file goes last: its presence marks a complete extraction.
            copy(loader, PROPERTIES, temp.resolve("tensorflow.properties"));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another process won the race; its copy is as good as ours.
                log.debug("native libraries already extracted by another process: {}", e.toString());
            }
            log.info("Extracted TensorFlow natives to {} in {} ms", target, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract TensorFlow natives to " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void copy(ClassLoader loader, String resource, Path to) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing " + resource + " in the TensorFlow native jar");
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
