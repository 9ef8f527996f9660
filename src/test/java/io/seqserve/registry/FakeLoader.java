package io.seqserve.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link VersionLifecycle.Loader} for lifecycle tests without an engine: a version loads into an empty
 * {@link LoadedModel} at once, or waits for its gate, or throws what it was told to.
 */
final class FakeLoader implements VersionLifecycle.Loader {

    private final Map<Long, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private final Map<Long, Throwable> failures = new ConcurrentHashMap<>();
    final AtomicInteger loads = new AtomicInteger();

    /** Loads of {@code version} wait until the returned future is completed. */
    CompletableFuture<Void> gate(long version) {
        return gates.computeIfAbsent(version, v -> new CompletableFuture<>());
    }

    /** Loads of {@code version} throw {@code error} (a LoadException, a RuntimeException or an Error). */
    FakeLoader fail(long version, Throwable error) {
        failures.put(version, error);
        return this;
    }

    @Override
    public ModelLoader.Result load(String name, long version, Path dir, Manifest manifest) throws LoadException {
        loads.incrementAndGet();
        CompletableFuture<Void> gate = gates.get(version);
        if (gate != null) {
            gate.join();
        }
        Throwable error = failures.get(version);
        if (error instanceof LoadException e) {
            throw e;
        } else if (error instanceof RuntimeException e) {
            throw e;
        } else if (error instanceof Error e) {
            throw e;
        }
        return new ModelLoader.Result(
                ModelFormat.TORCHSCRIPT,
                new Signature(List.of(), List.of()),
                new LoadedModel(List.of(), List.of()),
                List.of());
    }
}
