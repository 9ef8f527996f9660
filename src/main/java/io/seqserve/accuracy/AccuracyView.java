package io.seqserve.accuracy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.Routing;
import io.seqserve.series.Conformal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * {@code GET /v1/models/{name}/accuracy}: per version (scored ones and the routed ones) and target, the scores
 * over the window, per horizon step, and over time (one point per bucket of the history); where the bare name's
 * requests go; the actuals received by outcome; the pending promotion and the last decisions.
 */
@Component
class AccuracyView {

    @io.swagger.v3.oas.annotations.media.Schema(name = "AccuracyReport")
    record Report(
            String model,
            long windowSeconds,
            long bucketSeconds,
            List<Double> levels,
            RoutingView routing,
            ActualsView actuals,
            List<VersionView> versions,
            Promotions.Status promotion) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "AccuracyRouting")
    record RoutingView(Long production, Long canary, Double canaryWeight, Long shadow) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "AccuracyActuals")
    record ActualsView(long matched, long duplicate, long late, long unmatched, Instant lastReceivedAt) {}

    @io.swagger.v3.oas.annotations.media.Schema(name = "AccuracyVersion")
    record VersionView(long version, List<String> labels, String state, List<TargetView> targets) {}

    @io.swagger.v3.oas.annotations.media.Schema(name = "AccuracyTarget")
    record TargetView(String target, Scores window, List<Scores> steps, List<Scores> overTime) {}

    /** Scores of some points: per step ({@code step}), per bucket ({@code start}), or over the window. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "AccuracyScores")
    record Scores(
            String step,
            Instant start,
            long points,
            Double mae,
            Double rmse,
            Double naiveMae,
            Double mase,
            Map<String, Double> coverage) {}

    private final AccuracyService accuracy;
    private final ModelRegistry registry;
    private final Promotions promotions;
    private final AccuracyProperties properties;
    private final AccuracyMetrics metrics;

    AccuracyView(
            AccuracyService accuracy,
            ModelRegistry registry,
            Promotions promotions,
            AccuracyProperties properties,
            AccuracyMetrics metrics) {
        this.accuracy = accuracy;
        this.registry = registry;
        this.promotions = promotions;
        this.properties = properties;
        this.metrics = metrics;
    }

    Report report(String name, Duration window) {
        Routing routing = registry.routing(name);
        long now = System.currentTimeMillis();
        long from = now - window.toMillis();
        long historyFrom = now - properties.history().toMillis();
        Map<String, Long> labels = registry.labels(name);
        ModelBook book = accuracy.index().find(name).orElse(null);
        Set<Long> versions = new TreeSet<>(labels.values());
        if (routing.production() != null) {
            versions.add(routing.production().version());
        }
        if (book != null) {
            versions.addAll(book.read(Scoreboard::versions));
        }
        List<VersionView> views = new ArrayList<>();
        for (long v : versions) {
            List<TargetView> targets = book == null
                    ? List.of()
                    : book.read(s -> s.targets(v).stream()
                            .map(t -> target(s, v, t, from, now, historyFrom))
                            .toList());
            views.add(new VersionView(v, labelsOf(labels, v), state(name, v), targets));
        }
        long[] outcomes = book == null ? new long[ModelBook.Outcome.values().length] : book.outcomes();
        long last = book == null ? 0 : book.lastActual();
        return new Report(
                name,
                window.toSeconds(),
                properties.bucket().toSeconds(),
                properties.levels(),
                new RoutingView(
                        routing.production() == null
                                ? null
                                : routing.production().version(),
                        routing.canary() == null ? null : routing.canary().version(),
                        routing.canary() == null ? null : routing.canaryWeight(),
                        routing.shadow() == null ? null : routing.shadow().version()),
                new ActualsView(
                        outcomes[ModelBook.Outcome.MATCHED.ordinal()],
                        outcomes[ModelBook.Outcome.DUPLICATE.ordinal()],
                        outcomes[ModelBook.Outcome.LATE.ordinal()],
                        outcomes[ModelBook.Outcome.UNMATCHED.ordinal()],
                        last == 0 ? null : Instant.ofEpochMilli(last)),
                views,
                promotions.status(name));
    }

    private TargetView target(Scoreboard s, long version, String target, long from, long to, long historyFrom) {
        Sums[] slots = s.bySlot(version, target, from, to);
        Sums total = new Sums(properties.levels().size());
        List<Scores> steps = new ArrayList<>();
        for (int k = 0; k < slots.length; k++) {
            total.add(slots[k]);
            if (slots[k].points > 0) {
                steps.add(scores(metrics.stepTag(k + 1), null, slots[k]));
            }
        }
        List<Scores> overTime = s.overTime(version, target, historyFrom, to).stream()
                .map(b -> scores(null, Instant.ofEpochMilli(b.start()), b.sums()))
                .toList();
        return new TargetView(target, scores(null, null, total), steps, overTime);
    }

    private Scores scores(String step, Instant start, Sums sums) {
        Map<String, Double> coverage = new LinkedHashMap<>();
        for (int l = 0; l < properties.levels().size(); l++) {
            Double c = sums.coverage(l);
            if (c != null) {
                coverage.put(Conformal.key(properties.levels().get(l)), c);
            }
        }
        return new Scores(
                step,
                start,
                sums.points,
                finite(sums.mae()),
                finite(sums.rmse()),
                finite(sums.naiveMae()),
                sums.mase(),
                coverage.isEmpty() ? null : coverage);
    }

    private String state(String name, long version) {
        try {
            ModelVersion v = registry.resolve(name, version, null);
            return v.state().id();
        } catch (RuntimeException e) {
            return "deleted";
        }
    }

    private static List<String> labelsOf(Map<String, Long> labels, long version) {
        return labels.entrySet().stream()
                .filter(e -> e.getValue() == version)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
