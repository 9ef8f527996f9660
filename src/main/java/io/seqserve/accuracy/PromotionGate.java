package io.seqserve.accuracy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seqserve.Failure;
import io.seqserve.forecasting.BacktestService;
import io.seqserve.forecasting.ForecastRequests;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelState;
import io.seqserve.registry.ModelVersion;
import io.seqserve.series.Accuracy;
import io.seqserve.series.Conformal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * Moves {@code production} to a candidate version only when the candidate is available (loaded and warmed up)
 * and beats the version the bare name serves on every kind of evidence asked for: online accuracy (MASE, the MAE
 * relative to the naive forecast's on the same actuals, averaged over targets) over at least {@code min_points}
 * points since the candidate was first scored, its shadow or canary traffic against production's in the same
 * period; and/or a backtest of both versions on supplied data (the backtest's MASE). A refusal is a CONFLICT
 * carrying the decision with every number; missing evidence is UNPROCESSABLE.
 */
@Service
public class PromotionGate {

    /** What to compare on: online accuracy ({@code minPoints} set), a backtest ({@code backtest} set), or both. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionEvidence")
    public record Evidence(Integer minPoints, ForecastRequests.BacktestRequest backtest) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionScores")
    public record Scores(long points, Double mae, Double rmse, Double mase, Map<String, Double> coverage) {}

    /** One version's side: its decisive score (lower is better) and its scores per target. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionSide")
    public record Side(long version, long points, Double score, Map<String, Scores> targets) {}

    /** {@code metric}: mase, or mae / rmse when the naive or seasonal scale is zero somewhere. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionComparison")
    public record Comparison(
            String evidence, String metric, Instant since, Side production, Side candidate, boolean candidateBetter) {}

    @io.swagger.v3.oas.annotations.media.Schema(name = "PromotionDecision")
    public record Decision(
            String model,
            boolean promoted,
            long production,
            long candidate,
            List<Comparison> compared,
            String reason) {}

    private final ModelRegistry registry;
    private final AccuracyService accuracy;
    private final BacktestService backtests;
    private final AccuracyProperties properties;

    PromotionGate(
            ModelRegistry registry,
            AccuracyService accuracy,
            BacktestService backtests,
            AccuracyProperties properties) {
        this.registry = registry;
        this.accuracy = accuracy;
        this.backtests = backtests;
        this.properties = properties;
    }

    /** Promotes {@code candidate} when it wins; else fails with CONFLICT carrying the decision ({@code decision}). */
    public CompletableFuture<Decision> promote(String name, long candidate, Evidence evidence) {
        return decide(name, candidate, evidence, null).thenCompose(d -> {
            if (!d.promoted()) {
                throw Failure.conflict(d.reason()).with("decision", d);
            }
            return registry.setLabel(name, "production", candidate).thenApply(v -> d);
        });
    }

    /**
     * Compares without moving a label. {@code since} (null: when the candidate was first scored) starts the online
     * period. Throws CONFLICT when a version cannot take part, UNPROCESSABLE when the online evidence is too thin.
     */
    CompletableFuture<Decision> decide(String name, long candidateVersion, Evidence evidence, Instant since) {
        if (evidence.minPoints() == null && evidence.backtest() == null) {
            throw Failure.invalid("online", "give the evidence to compare on: online, backtest or both");
        }
        ModelVersion production = registry.resolve(name, null, null);
        ModelVersion candidate = registry.resolve(name, candidateVersion, null);
        if (candidate.state() != ModelState.AVAILABLE) {
            throw Failure.conflict("version " + candidateVersion + " of '" + name + "' is "
                    + candidate.state().id() + ": only an available version (loaded and warmed up) can be promoted");
        }
        if (production.state() != ModelState.AVAILABLE) {
            throw Failure.conflict("model '" + name + "' has no available production version to compare with");
        }
        if (production == candidate) {
            throw Failure.conflict("version " + candidateVersion + " of '" + name + "' already serves the bare name");
        }
        List<CompletableFuture<Comparison>> parts = new ArrayList<>();
        if (evidence.minPoints() != null) {
            parts.add(CompletableFuture.completedFuture(
                    online(name, production.version(), candidateVersion, evidence.minPoints(), since)));
        }
        if (evidence.backtest() != null) {
            parts.add(backtest(name, production.version(), candidateVersion, evidence.backtest()));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<Comparison> compared =
                    parts.stream().map(CompletableFuture::join).toList();
            boolean wins = compared.stream().allMatch(Comparison::candidateBetter);
            return new Decision(
                    name,
                    wins,
                    production.version(),
                    candidateVersion,
                    compared,
                    reason(name, production.version(), candidateVersion, wins, compared));
        });
    }

    private static String reason(
            String name, long production, long candidate, boolean wins, List<Comparison> compared) {
        List<String> parts = new ArrayList<>();
        for (Comparison c : compared) {
            parts.add(String.format(
                    "%s %s %.4f vs %.4f over %d and %d points",
                    c.evidence(),
                    c.metric(),
                    c.candidate().score(),
                    c.production().score(),
                    c.candidate().points(),
                    c.production().points()));
        }
        return (wins
                        ? "version " + candidate + " of '" + name + "' beats production version " + production
                        : "version " + candidate + " of '" + name + "' does not beat production version " + production)
                + " (candidate vs production: " + String.join("; ", parts) + ")";
    }

    /** Online evidence: both versions' scored points since the candidate was first scored (or {@code since}). */
    Comparison online(String name, long production, long candidate, int minPoints, Instant since) {
        ModelBook book = accuracy.index()
                .find(name)
                .orElseThrow(() -> Failure.unprocessable("no actuals have been received for model '" + name + "'"));
        long now = System.currentTimeMillis();
        long from = since != null ? since.toEpochMilli() : book.read(s -> s.firstAt(candidate));
        if (from < 0) {
            throw notEnough(name, candidate, 0, minPoints, null);
        }
        Side c = book.read(s -> side(s, candidate, s.targets(candidate), from, now));
        Side p = book.read(s -> side(s, production, s.targets(candidate), from, now));
        if (c.points() < minPoints) {
            throw notEnough(name, candidate, c.points(), minPoints, Instant.ofEpochMilli(from));
        }
        if (p.points() == 0) {
            throw Failure.unprocessable(
                            "production version " + production + " of '" + name + "' has no scored points" + " since "
                                    + Instant.ofEpochMilli(from) + " to compare with: send actuals for its forecasts")
                    .with("candidate", c);
        }
        String metric = metric(p, c);
        return new Comparison(
                "online",
                metric,
                Instant.ofEpochMilli(from),
                rescore(p, metric),
                rescore(c, metric),
                better(rescore(c, metric).score(), rescore(p, metric).score()));
    }

    private static Failure notEnough(String name, long candidate, long points, int minPoints, Instant since) {
        return Failure.unprocessable("not enough online evidence: version " + candidate + " of '" + name + "' has "
                        + points + " scored points" + (since == null ? "" : " since " + since) + "; " + minPoints
                        + " are needed (send more actuals, or lower online.min_points)")
                .with("points", points)
                .with("min_points", minPoints);
    }

    private Side side(Scoreboard board, long version, List<String> targets, long from, long to) {
        Map<String, Scores> out = new LinkedHashMap<>();
        long points = Long.MAX_VALUE;
        for (String target : targets) {
            Sums sums = board.pooled(version, target, from, to);
            Map<String, Double> coverage = new LinkedHashMap<>();
            for (int l = 0; l < properties.levels().size(); l++) {
                Double c = sums.coverage(l);
                if (c != null) {
                    coverage.put(Conformal.key(properties.levels().get(l)), c);
                }
            }
            out.put(
                    target,
                    new Scores(
                            sums.points,
                            finite(sums.mae()),
                            finite(sums.rmse()),
                            sums.mase(),
                            coverage.isEmpty() ? null : coverage));
            points = Math.min(points, sums.points);
        }
        return new Side(version, targets.isEmpty() ? 0 : points, null, out);
    }

    private CompletableFuture<Comparison> backtest(
            String name, long production, long candidate, ForecastRequests.BacktestRequest request) {
        CompletableFuture<Map<String, Accuracy.Scores>> p =
                backtests.modelScores(new ModelRef(name, production, null), request);
        CompletableFuture<Map<String, Accuracy.Scores>> c =
                backtests.modelScores(new ModelRef(name, candidate, null), request);
        return p.thenCombine(c, (ps, cs) -> {
            Side pside = backtestSide(production, ps);
            Side cside = backtestSide(candidate, cs);
            String metric = metric(pside, cside);
            Side pr = rescore(pside, metric);
            Side cr = rescore(cside, metric);
            return new Comparison("backtest", metric, null, pr, cr, better(cr.score(), pr.score()));
        });
    }

    private static Side backtestSide(long version, Map<String, Accuracy.Scores> scores) {
        Map<String, Scores> out = new LinkedHashMap<>();
        long points = Long.MAX_VALUE;
        for (Map.Entry<String, Accuracy.Scores> e : scores.entrySet()) {
            Accuracy.Scores s = e.getValue();
            out.put(e.getKey(), new Scores(s.points(), s.mae(), s.rmse(), s.mase(), s.coverage()));
            points = Math.min(points, s.points());
        }
        return new Side(version, scores.isEmpty() ? 0 : points, null, out);
    }

    /** MASE when both sides have it for every target, else MAE. */
    private static String metric(Side a, Side b) {
        boolean mase = java.util.stream.Stream.of(a, b)
                .allMatch(s -> s.targets().values().stream().allMatch(t -> t.mase() != null));
        return mase ? "mase" : "mae";
    }

    /** The side with its decisive score: the mean of the metric over its targets. */
    private static Side rescore(Side side, String metric) {
        Function<Scores, Double> pick = metric.equals("mase") ? Scores::mase : Scores::mae;
        double sum = 0;
        int n = 0;
        for (Scores s : side.targets().values()) {
            Double v = pick.apply(s);
            if (v != null) {
                sum += v;
                n++;
            }
        }
        return new Side(side.version(), side.points(), n == 0 ? null : sum / n, side.targets());
    }

    private static boolean better(Double candidate, Double production) {
        return candidate != null && production != null && candidate < production;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
