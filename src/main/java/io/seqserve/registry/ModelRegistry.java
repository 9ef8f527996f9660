package io.seqserve.registry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.runtime.RuntimeProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The models under {@code seqserve.models.root} ({@code <name>/<version>/}, TF Serving's layout), their
 * versions' lifecycles and labels. Scans the root every poll interval, loads what {@link VersionPolicy}
 * wants and unloads what it no longer wants, after the version's open leases have drained.
 *
 * <p>Thread-safe: structure changes are synchronized on the registry; loading and draining run on the
 * load executor, outside the lock.
 */
@Component
public class ModelRegistry implements SmartLifecycle {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelsProperties properties;
    private final RuntimeProperties runtime;
    private final ModelLoader loader;
    private final List<TaskCheck> taskChecks;
    private final MeterRegistry meters;
    private final Path root;
    private final Map<String, Model> models = new ConcurrentHashMap<>();
    private final ExecutorService loadExecutor;
    private volatile boolean running;
    private volatile boolean initialLoadSettled;

    /** The versions and labels of one model name. */
    static final class Model {
        final String name;
        final Path dir;
        final ConcurrentSkipListMap<Long, ModelVersion> versions = new ConcurrentSkipListMap<>();
        volatile Map<String, Long> labels = Map.of();

        Model(String name, Path dir) {
            this.name = name;
            this.dir = dir;
        }
    }

    public ModelRegistry(ModelsProperties properties, RuntimeProperties runtime, ModelLoader loader, MeterRegistry meters,
            List<TaskCheck> taskChecks) {
        this.properties = properties;
        this.taskChecks = List.copyOf(taskChecks);
        this.runtime = runtime;
        this.loader = loader;
        this.meters = meters;
        this.root = properties.root().toAbsolutePath().normalize();
        this.loadExecutor = Executors.newFixedThreadPool(properties.loadThreads(), r -> {
            Thread t = new Thread(r, "model-loader");
            t.setDaemon(true);
            return t;
        });
        for (ModelState state : ModelState.values()) {
            Gauge.builder("seqserve.model.versions", () -> countIn(state))
                    .description("Model versions by lifecycle state").tag("state", state.id()).register(meters);
        }
        Gauge.builder("seqserve.inflight.requests", this::openLeases)
                .description("Requests holding a model version right now").register(meters);
    }

    public Path root() {
        return root;
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    @Override
    public void start() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the models root " + root, e);
        }
        running = true;
        List<CompletableFuture<Void>> first = scan();
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new))
                .whenComplete((ok, error) -> settleInitialLoad());
    }

    private void settleInitialLoad() {
        // Loading a version may reveal that an older one is wanted instead (the newest failed): wait for those too.
        List<CompletableFuture<Void>> more = new ArrayList<>();
        synchronized (this) {
            models.values().forEach(m -> more.addAll(applyPolicy(m)));
        }
        if (more.isEmpty()) {
            initialLoadSettled = true;
            log.info("Initial model load settled: {}", summary());
        } else {
            CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> settleInitialLoad());
        }
    }

    @Override
    public void stop() {
        running = false;
        List<ModelVersion> live = new ArrayList<>();
        synchronized (this) {
            models.values().forEach(m -> live.addAll(m.versions.values()));
        }
        live.stream().filter(v -> v.state() == ModelState.AVAILABLE)
                .map(v -> CompletableFuture.runAsync(() -> unload(v), loadExecutor))
                .toList().forEach(CompletableFuture::join);
        loadExecutor.shutdownNow();
    }

    /** Test contexts are paused between classes; stopping would unload every model and kill the loader. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Start before the web server and stop after its graceful shutdown (phase DEFAULT - 2048), so
     * requests in flight at SIGTERM finish on loaded models before the workers drain and close.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** True once every version present at start-up has loaded or failed, and required ones are available. */
    public boolean ready() {
        if (!initialLoadSettled) {
            return false;
        }
        return models.values().stream().flatMap(m -> m.versions.values().stream())
                .filter(v -> Boolean.TRUE.equals(v.manifest().required()))
                .allMatch(v -> v.state() == ModelState.AVAILABLE || v.state() == ModelState.UNLOADED);
    }

    // ---- scanning --------------------------------------------------------------------------------

    @Scheduled(initialDelayString = "${seqserve.models.poll-interval:2s}", fixedDelayString = "${seqserve.models.poll-interval:2s}")
    void poll() {
        if (running) {
            try {
                scan();
            } catch (RuntimeException e) {
                log.warn("scanning {} failed: {}", root, e.toString());
            }
        }
    }

    /** Brings the in-memory view in line with the directory tree; returns the loads it started. */
    synchronized List<CompletableFuture<Void>> scan() {
        Map<String, Map<Long, Path>> onDisk = ModelTree.read(root, NAME);
        for (Model model : List.copyOf(models.values())) {
            Map<Long, Path> present = onDisk.getOrDefault(model.name, Map.of());
            for (ModelVersion v : List.copyOf(model.versions.values())) {
                if (!present.containsKey(v.version())) {
                    log.info("{} disappeared from disk; unloading", v);
                    model.versions.remove(v.version());
                    CompletableFuture.runAsync(() -> unload(v), loadExecutor);
                }
            }
            if (model.versions.isEmpty() && !onDisk.containsKey(model.name)) {
                models.remove(model.name);
            }
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        onDisk.forEach((name, versions) -> {
            Model model = models.computeIfAbsent(name, n -> new Model(n, root.resolve(n)));
            refreshLabels(model);
            versions.forEach((number, dir) -> model.versions.computeIfAbsent(number,
                    n -> new ModelVersion(name, n, dir, ModelTree.creationTime(dir))));
            started.addAll(applyPolicy(model));
        });
        return started;
    }


    private void refreshLabels(Model model) {
        try {
            model.labels = LabelStore.read(model.dir);
        } catch (IllegalStateException e) {
            log.warn("keeping the previous labels of {}: {}", model.name, e.getMessage());
        }
    }

    // ---- loading and unloading -------------------------------------------------------------------

    /** Starts the loads and unloads the policy asks for; must hold the registry lock. */
    private List<CompletableFuture<Void>> applyPolicy(Model model) {
        List<VersionPolicy.Snapshot> snapshots = model.versions.values().stream()
                .map(v -> new VersionPolicy.Snapshot(v.version(), v.state(), model.labels.containsValue(v.version())))
                .toList();
        VersionPolicy.Decision decision = VersionPolicy.decide(snapshots, properties.latestVersions());
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (long number : decision.load()) {
            ModelVersion v = model.versions.get(number);
            v.loading();
            started.add(CompletableFuture.runAsync(() -> load(v), loadExecutor).thenRun(() -> afterLoad(model, v)));
        }
        for (long number : decision.unload()) {
            ModelVersion v = model.versions.get(number);
            v.markUnloading();
            CompletableFuture.runAsync(() -> unload(v), loadExecutor).thenRun(() -> reapply(model));
        }
        return started;
    }

    /** A version deleted while it was loading must not stay loaded behind the registry's back. */
    private void afterLoad(Model model, ModelVersion v) {
        if (model.versions.get(v.version()) != v) {
            unload(v);
        }
        reapply(model);
    }

    private void reapply(Model model) {
        if (running) {
            synchronized (this) {
                applyPolicy(model);
            }
        }
    }

    private void load(ModelVersion v) {
        long start = System.nanoTime();
        Manifest manifest = Manifest.EMPTY;
        String outcome = "failed";
        try {
            manifest = ManifestReader.read(v.dir());
            ModelLoader.Result result = loader.load(v.name(), v.version(), v.dir(), manifest);
            checkTask(v, manifest, result);
            v.available(manifest, result, Duration.ofNanos(System.nanoTime() - start));
            outcome = "available";
            log.info("{} {} loaded in {} ms{}", v.name(), v.version(), (System.nanoTime() - start) / 1_000_000,
                    result.warnings().isEmpty() ? "" : " (" + String.join("; ", result.warnings()) + ")");
        } catch (ManifestReader.InvalidManifestException | LoadException e) {
            v.failed(manifest, e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
            log.warn("{} {} failed to load: {}", v.name(), v.version(), e.getMessage());
        } catch (RuntimeException | Error e) {
            v.failed(manifest, Throwables.rootMessage(e), Duration.ofNanos(System.nanoTime() - start));
            log.warn("{} {} failed to load", v.name(), v.version(), e);
        } finally {
            Timer.builder("seqserve.model.load.duration").description("Time to load and warm up a model version")
                    .tag("model", v.name()).tag("outcome", outcome).register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Runs the checks of the manifest's task; a version that cannot serve it is closed and fails. */
    private void checkTask(ModelVersion v, Manifest manifest, ModelLoader.Result result) throws LoadException {
        ModelVersion candidate = ModelVersion.candidate(v, manifest, result.signature());
        for (TaskCheck check : taskChecks) {
            if (check.task().equals(manifest.taskOrDefault())) {
                try {
                    check.check(candidate);
                } catch (Failure | IllegalArgumentException e) {
                    result.model().close(Duration.ZERO);
                    throw new LoadException("unusable for " + check.task() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Waits for open leases (up to the drain timeout), then closes the version's workers and model. */
    private void unload(ModelVersion v) {
        LoadedModel loaded = v.claimUnload();
        if (loaded == null) {
            return;
        }
        long deadline = System.nanoTime() + runtime.drainTimeout().toNanos();
        while (v.openLeases() > 0 && System.nanoTime() < deadline) {
            sleep(5);
        }
        loaded.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        v.unloaded();
        log.info("{} {} unloaded", v.name(), v.version());
    }

    // ---- requests --------------------------------------------------------------------------------

    /**
     * A lease on the version a request names: {@code version} or {@code label} when given, else the
     * {@code production} label, else the newest available version. Retries when a swap retires the
     * version between lookup and lease, so a swap never fails a request.
     */
    public Lease lease(String name, Long version, String label) {
        for (int attempt = 0; attempt < 5; attempt++) {
            ModelVersion v = resolve(name, version, label);
            Lease lease = v.tryLease();
            if (lease != null) {
                return lease;
            }
            if (v.state() == ModelState.FAILED || version != null || label != null && attempt > 0) {
                throw notAvailable(v);
            }
        }
        throw notAvailable(resolve(name, version, label));
    }

    public ModelVersion resolve(String name, Long version, String label) {
        Model model = models.get(name);
        if (model == null) {
            throw Failure.notFound("no model named '" + name + "'");
        }
        if (version != null) {
            return Optional.ofNullable(model.versions.get(version))
                    .orElseThrow(() -> Failure.notFound("model '" + name + "' has no version " + version));
        }
        if (label != null) {
            Long target = model.labels.get(label);
            if (target == null) {
                throw Failure.notFound("model '" + name + "' has no label '" + label + "'");
            }
            return Optional.ofNullable(model.versions.get(target))
                    .orElseThrow(() -> Failure.notFound("label '" + label + "' points at missing version " + target));
        }
        Long production = model.labels.get("production");
        if (production != null && model.versions.containsKey(production)) {
            return model.versions.get(production);
        }
        return model.versions.descendingMap().values().stream().filter(v -> v.state() == ModelState.AVAILABLE)
                .findFirst().orElseGet(() -> model.versions.lastEntry().getValue());
    }

    private static Failure notAvailable(ModelVersion v) {
        String detail = "model '" + v.name() + "' version " + v.version() + " is " + v.state().id()
                + (v.error() != null ? ": " + v.error() : "");
        return v.state() == ModelState.FAILED ? Failure.unprocessable(detail) : Failure.unavailable(detail);
    }

    // ---- views -----------------------------------------------------------------------------------

    public Collection<String> names() {
        return new TreeMap<>(models).keySet();
    }

    public List<ModelVersion> versions(String name) {
        Model model = models.get(name);
        if (model == null) {
            throw Failure.notFound("no model named '" + name + "'");
        }
        return List.copyOf(model.versions.values());
    }

    public Map<String, Long> labels(String name) {
        Model model = models.get(name);
        return model == null ? Map.of() : model.labels;
    }

    // ---- writes ----------------------------------------------------------------------------------

    /**
     * Publishes a prepared version directory (under {@link #stagingDir()}) as the next version of
     * {@code name} and loads it. A version that fails to load is removed again: a failed registration
     * leaves nothing behind.
     */
    public ModelVersion register(String name, Path staged) {
        if (!NAME.matcher(name).matches()) {
            throw Failure.invalid("name", "must match " + NAME.pattern());
        }
        ModelVersion v;
        Model model;
        synchronized (this) {
            model = models.computeIfAbsent(name, n -> new Model(n, root.resolve(n)));
            long next = Math.max(model.versions.isEmpty() ? 0 : model.versions.lastKey(), ModelTree.highestVersion(model.dir)) + 1;
            Path target = model.dir.resolve(String.valueOf(next));
            try {
                Files.createDirectories(model.dir);
                AtomicFiles.fsyncTree(staged);
                AtomicFiles.move(staged, target);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot publish " + name + " version " + next, e);
            }
            v = new ModelVersion(name, next, target, Instant.now());
            v.loading();
            model.versions.put(next, v);
        }
        load(v);
        if (v.state() != ModelState.AVAILABLE) {
            Path trash;
            synchronized (this) {
                // Off the disk before the scanner can see the directory without its version.
                trash = ModelTree.moveToTrash(root, v.dir());
                model.versions.remove(v.version());
                if (model.versions.isEmpty()) {
                    models.remove(name);
                    ModelTree.deleteIfEmpty(model.dir);
                }
            }
            ModelTree.deleteQuietly(trash);
            throw Failure.unprocessable("the model could not be loaded, nothing was registered: " + v.error());
        }
        reapply(model);
        return v;
    }

    /** Removes a version from disk and memory; its in-flight requests finish first. */
    public void delete(String name, long version) {
        ModelVersion v;
        Path trash;
        synchronized (this) {
            Model model = models.get(name);
            v = resolve(name, version, null);
            List<String> pointing = model.labels.entrySet().stream().filter(e -> e.getValue() == version)
                    .map(Map.Entry::getKey).sorted().toList();
            if (!pointing.isEmpty()) {
                throw Failure.conflict("version " + version + " of '" + name + "' is labelled " + pointing
                        + "; move or remove the labels first");
            }
            trash = ModelTree.moveToTrash(root, v.dir());
            model.versions.remove(version);
            applyPolicy(model);
        }
        ModelTree.deleteQuietly(trash);
        unload(v);
    }

    /** Points {@code label} at {@code version}, loading that version first when it is not loaded. */
    public ModelVersion setLabel(String name, String label, long version) {
        if (!NAME.matcher(label).matches()) {
            throw Failure.invalid("label", "must match " + NAME.pattern());
        }
        ModelVersion v;
        synchronized (this) {
            Model model = models.get(name);
            v = resolve(name, version, null);
            if (v.state() == ModelState.FAILED) {
                throw Failure.conflict("version " + version + " failed to load: " + v.error());
            }
            Map<String, Long> labels = new HashMap<>(model.labels);
            labels.put(label, version);
            try {
                LabelStore.write(model.dir, labels);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the labels of " + name, e);
            }
            model.labels = Map.copyOf(labels);
            applyPolicy(model);
        }
        awaitSettled(v);
        return v;
    }

    /** Waits while a freshly labelled version finishes unloading and loads again (bounded). */
    private void awaitSettled(ModelVersion v) {
        long deadline = System.nanoTime() + runtime.drainTimeout().toNanos() + Duration.ofMinutes(2).toNanos();
        while (v.state() != ModelState.AVAILABLE && v.state() != ModelState.FAILED && System.nanoTime() < deadline) {
            sleep(10);
        }
    }

    /**
     * Changes the manifest of a version on disk and in memory, without reloading the model: the whole new
     * manifest is validated, written atomically over the one it was read from ({@code seqserve.json} stays
     * JSON, anything else becomes {@code seqserve.yaml}), then served. Concurrent changes to one version
     * are applied one after the other. Returns the manifest now in use.
     */
    public Manifest updateManifest(ModelVersion version, UnaryOperator<Manifest> change) {
        synchronized (version) {
            Manifest next = change.apply(version.manifest());
            boolean json = Files.isRegularFile(version.dir().resolve(ManifestReader.JSON_NAME))
                    && !Files.isRegularFile(version.dir().resolve(ManifestReader.YAML_NAME));
            String text = json ? ManifestReader.toJson(next) : ManifestReader.toYaml(next);
            Manifest parsed;
            try {
                parsed = ManifestReader.parse(text, !json);
            } catch (ManifestReader.InvalidManifestException e) {
                throw Failure.unprocessable("the changed manifest would be invalid: " + e.getMessage());
            }
            try {
                AtomicFiles.writeString(version.dir().resolve(json ? ManifestReader.JSON_NAME : ManifestReader.YAML_NAME), text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the manifest of " + version, e);
            }
            version.replaceManifest(parsed);
            log.info("{} {}: manifest updated", version.name(), version.version());
            return parsed;
        }
    }

    /** A fresh directory on the models volume for preparing a version before it is published. */
    public Path stagingDir() {
        return ModelTree.stagingDir(root);
    }

    private long countIn(ModelState state) {
        return models.values().stream().flatMap(m -> m.versions.values().stream()).filter(v -> v.state() == state).count();
    }

    private long openLeases() {
        return models.values().stream().flatMap(m -> m.versions.values().stream()).mapToLong(ModelVersion::openLeases).sum();
    }

    private String summary() {
        List<String> parts = new ArrayList<>();
        models.values().forEach(m -> m.versions.values().forEach(v -> parts.add(v.toString())));
        return parts.isEmpty() ? "no models" : String.join(", ", parts);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
