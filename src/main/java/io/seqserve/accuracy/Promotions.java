package io.seqserve.accuracy;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import io.seqserve.registry.AtomicFiles;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.Routing;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Promotions that wait for online evidence (a training job's {@code publish: {promote_if_better: true}}): the
 * candidate gets the {@code shadow} label, so it forecasts a copy of every bare-name request, and once it has
 * {@code min_points} scored points the {@link PromotionGate} decides; either way the shadow label is removed
 * afterwards. Pending and the last decisions per model are kept in {@code <data>/accuracy/promotions.json}
 * (written atomically), so a restart forgets none.
 */
@Component
public class Promotions {

    /** A candidate waiting for evidence, compared from {@code since}. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionPending")
    public record Pending(String model, long candidate, int minPoints, Instant since, String requestedBy) {}

    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionDecided")
    public record Decided(Pending pending, Instant decidedAt, boolean promoted, String reason, Object decision) {}

    /** What the accuracy view shows. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionStatus")
    public record Status(Pending pending, List<Decided> decided) {}

    private record Stored(List<Pending> pending, List<Decided> decided) {}

    private static final Logger log = LoggerFactory.getLogger(Promotions.class);
    private static final ObjectMapper JSON =
            JsonMapper.builder().findAndAddModules().build();
    private static final int KEPT = 10;

    private final ModelRegistry registry;
    private final PromotionGate gate;
    private final AccuracyService accuracy;
    private final Path file;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Deque<Decided>> decided = new ConcurrentHashMap<>();
    private final Map<String, Boolean> deciding = new ConcurrentHashMap<>();

    Promotions(
            ModelRegistry registry,
            PromotionGate gate,
            AccuracyService accuracy,
            @Value("${seqserve.data.dir:data}") Path dataDir) {
        this.registry = registry;
        this.gate = gate;
        this.accuracy = accuracy;
        this.file = dataDir.toAbsolutePath().normalize().resolve("accuracy").resolve("promotions.json");
    }

    @PostConstruct
    void load() throws IOException {
        if (Files.isRegularFile(file)) {
            Stored stored = JSON.readValue(Files.readString(file), Stored.class);
            stored.pending().forEach(p -> pending.put(p.model(), p));
            stored.decided().forEach(d -> history(d.pending().model()).addLast(d));
        }
    }

    /**
     * Before a candidate of {@code model} is published: when the bare name serves a version by being the newest
     * (no {@code production} label), label it {@code production}, so the candidate does not take over by being
     * newer before it has won.
     */
    public void pinProduction(String model) {
        if (!registry.has(model) || registry.labels(model).containsKey("production")) {
            return;
        }
        Optional.ofNullable(registry.routing(model).production())
                .ifPresent(v -> registry.setLabel(model, "production", v.version()));
    }

    /**
     * Shadows {@code candidate} and waits for {@code minPoints} scored points before the gate decides. Null when
     * the candidate already serves the bare name (the model's first version: there is nothing to beat).
     */
    public Pending propose(String model, long candidate, int minPoints, String requestedBy) {
        ModelVersion serving = registry.routing(model).production();
        if (serving == null || serving.version() == candidate) {
            return null;
        }
        registry.setLabel(model, Routing.SHADOW, candidate);
        Pending p = new Pending(model, candidate, minPoints, Instant.now(), requestedBy);
        pending.put(model, p);
        save();
        log.info("{} version {}: shadowing production until {} points are scored", model, candidate, minPoints);
        return p;
    }

    /** After actuals of {@code model} were scored: decides its pending promotion once there is enough evidence. */
    void afterActuals(String model) {
        Pending p = pending.get(model);
        if (p == null || deciding.putIfAbsent(model, Boolean.TRUE) != null) {
            return;
        }
        long points = accuracy.index()
                .find(model)
                .map(book -> book.read(s -> s.targets(p.candidate()).stream()
                        .mapToLong(t -> s.pooled(p.candidate(), t, p.since().toEpochMilli(), Long.MAX_VALUE).points)
                        .min()
                        .orElse(0)))
                .orElse(0L);
        if (points < p.minPoints()) {
            deciding.remove(model);
            return;
        }
        try {
            gate.decide(model, p.candidate(), new PromotionGate.Evidence(p.minPoints(), null), p.since())
                    .thenCompose(d -> d.promoted()
                            ? registry.setLabel(model, "production", p.candidate())
                                    .thenApply(v -> d)
                            : java.util.concurrent.CompletableFuture.completedFuture(d))
                    .whenComplete((d, e) -> {
                        try {
                            finish(p, d, e);
                        } finally {
                            deciding.remove(model);
                        }
                    });
        } catch (RuntimeException e) {
            finish(p, null, e);
            deciding.remove(model);
        }
    }

    private void finish(Pending p, PromotionGate.Decision d, Throwable error) {
        Throwable cause = error == null ? null : Throwables.unwrap(error);
        if (cause instanceof Failure f && f.kind() == Failure.Kind.UNPROCESSABLE) {
            return; // evidence still too thin (production not scored yet): try again with the next actuals
        }
        pending.remove(p.model(), p);
        Decided outcome = d != null
                ? new Decided(p, Instant.now(), d.promoted(), d.reason(), d)
                : new Decided(p, Instant.now(), false, "not decided: " + cause.getMessage(), null);
        Deque<Decided> h = history(p.model());
        h.addLast(outcome);
        while (h.size() > KEPT) {
            h.removeFirst();
        }
        Long shadow = registry.labels(p.model()).get(Routing.SHADOW);
        if (shadow != null && shadow == p.candidate()) {
            registry.removeLabel(p.model(), Routing.SHADOW);
        }
        save();
        log.info("{} version {}: {}", p.model(), p.candidate(), outcome.reason());
    }

    Status status(String model) {
        return new Status(pending.get(model), List.copyOf(decided.getOrDefault(model, new ArrayDeque<>())));
    }

    private Deque<Decided> history(String model) {
        return decided.computeIfAbsent(model, m -> new ArrayDeque<>());
    }

    private synchronized void save() {
        List<Decided> all = new ArrayList<>();
        decided.values().forEach(all::addAll);
        try {
            AtomicFiles.writeString(
                    file,
                    JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(new Stored(List.copyOf(pending.values()), all)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
    }
}
