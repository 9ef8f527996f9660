package io.seqserve.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.OwnServerTest;
import io.seqserve.testing.Promtool;
import io.seqserve.testing.RequiresTool;
import io.seqserve.testing.Tool;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The whole loop over real HTTP: a served model (the naive forecast with narrow intervals, fitted to a calm
 * process) forecasts 40 series; the actuals come from a shifted process (a strong 12-step cycle), so its coverage
 * drops in the metrics, and promtool, fed the app's own counter values, fires the coverage alert. A GRU trained on
 * the recent data with {@code publish: {promote_if_better: true}} shadows production, wins on the next actuals and
 * is promoted by the gate; a worse candidate is refused with the numbers.
 */
@RequiresTool(Tool.PROMTOOL)
class AccuracyLoopTest extends OwnServerTest {

    private static final Logger log = LoggerFactory.getLogger(AccuracyLoopTest.class);
    private static final String MODEL = "acc-loop";
    private static final int SERIES = 40;
    private static final int LENGTH = 48;
    private static final int HORIZON = 3;

    @TempDir
    Path work;

    /** The shifted process: a cycle of 12 steps, each series at its own phase. */
    private static double value(int series, int t) {
        return 50 + 10 * Math.sin(2 * Math.PI * (t + 3 * series) / 12.0) + 0.3 * Math.sin(0.7 * t * (series + 1));
    }

    @Test
    void aStaleModelAlertsAndARetrainedOneIsPromotedThroughTheGate() throws Exception {
        AccuracyModels.linear(modelsRoot(), MODEL, 1, 1.0f);
        awaitState(1, "available");

        // 1. The model goes stale: its +-1.7 intervals miss a cycle of amplitude 10.
        round(0);
        double points = counter("seqserve_forecast_interval_points_total", "1", "level=\"80\"");
        double covered = counter("seqserve_forecast_interval_covered_total", "1", "level=\"80\"");
        assertThat(points).isEqualTo(SERIES * HORIZON);
        double coverage = covered / points;
        log.info("stale model: 80 % coverage {} over {} points", coverage, points);
        assertThat(coverage).as("80 %% coverage of the stale model").isLessThan(0.7);
        assertThat(coverageAlert(points, covered, coverage).exit())
                .as("promtool")
                .isZero();

        // 2. Retrain on the recent data, through the gate.
        StringJoiner recent = new StringJoiner(",", "[", "]");
        for (int t = 0; t < 600; t++) {
            recent.add(String.valueOf(value(0, t)));
        }
        HttpResponse<String> submitted = post("/v1/training-jobs", """
                {"model_name": "%s", "dataset": {"values": %s}, "window": 12,
                 "architecture": {"cell": "gru", "hidden_size": 16},
                 "training": {"epochs": 30, "batch_size": 32, "learning_rate": 0.01, "seed": 1},
                 "publish": {"promote_if_better": true, "min_points": 100}}
                """.formatted(MODEL, recent));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitJob(json(submitted).path("id").asString());
        assertThat(job.at("/result/version").asLong()).isEqualTo(2);
        assertThat(job.at("/result/promotion/candidate").asLong()).isEqualTo(2);
        assertThat(json(get("/v1/models/" + MODEL + "/labels/production"))
                        .path("version")
                        .asLong())
                .as("the old version is pinned while the new one shadows it")
                .isEqualTo(1);
        assertThat(json(get("/v1/models/" + MODEL + "/labels/shadow"))
                        .path("version")
                        .asLong())
                .isEqualTo(2);

        // 3. The next actuals score both; the gate promotes the new version with its numbers.
        JsonNode answered = round(LENGTH + HORIZON);
        assertThat(answered.path("version").asLong()).isEqualTo(1);
        JsonNode decided = awaitDecision();
        log.info("promotion: {}", decided);
        assertThat(decided.path("promoted").asBoolean()).as(decided.toString()).isTrue();
        JsonNode online = decided.at("/decision/compared/0");
        assertThat(online.at("/candidate/score").asDouble())
                .isLessThan(online.at("/production/score").asDouble());
        assertThat(online.at("/candidate/points").asLong()).isGreaterThanOrEqualTo(100);
        assertThat(json(get("/v1/models/" + MODEL + "/labels/production"))
                        .path("version")
                        .asLong())
                .isEqualTo(2);
        assertThat(get("/v1/models/" + MODEL + "/labels/shadow").statusCode())
                .as("the shadow label is removed after the decision")
                .isEqualTo(404);

        // 4. A worse candidate (the naive forecast halved) is refused on a backtest, with the numbers.
        AccuracyModels.linear(modelsRoot(), MODEL, 3, 0.5f);
        awaitState(3, "available");
        StringJoiner heldOut = new StringJoiner(",", "[", "]");
        for (int t = 600; t < 700; t++) {
            heldOut.add(String.valueOf(value(0, t)));
        }
        HttpResponse<String> refused = post(
                "/v1/models/" + MODEL + ":promote",
                "{\"version\": 3, \"backtest\": {\"series\": [{\"id\": \"held-out\", \"values\": " + heldOut
                        + "}], \"horizon\": " + HORIZON + ", \"windows\": 20}}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode backtest = json(refused).at("/decision/compared/0");
        log.info("refused: {}", backtest);
        assertThat(backtest.at("/candidate/score").asDouble())
                .isGreaterThan(backtest.at("/production/score").asDouble());
        assertThat(backtest.at("/production/version").asLong()).isEqualTo(2);
        assertThat(json(get("/v1/models/" + MODEL + "/labels/production"))
                        .path("version")
                        .asLong())
                .isEqualTo(2);
    }

    /** Forecasts every series from {@code from} and posts what followed; answers the forecast. */
    private JsonNode round(int from) throws Exception {
        StringJoiner series = new StringJoiner(",", "[", "]");
        for (int s = 0; s < SERIES; s++) {
            StringJoiner values = new StringJoiner(",", "[", "]");
            for (int t = from; t < from + LENGTH; t++) {
                values.add(String.valueOf(value(s, t)));
            }
            series.add("{\"id\": \"s" + s + "\", \"values\": " + values + "}");
        }
        HttpResponse<String> forecast =
                post("/v1/models/" + MODEL + ":forecast", "{\"series\": " + series + ", \"horizon\": " + HORIZON + "}");
        assertThat(forecast.statusCode()).as(forecast.body()).isEqualTo(200);
        JsonNode answer = json(forecast);
        awaitShadowsSettled();
        StringJoiner actuals = new StringJoiner(",", "[", "]");
        for (int s = 0; s < SERIES; s++) {
            StringJoiner values = new StringJoiner(",", "[", "]");
            for (int t = from + LENGTH; t < from + LENGTH + HORIZON; t++) {
                values.add(String.valueOf(value(s, t)));
            }
            actuals.add("{\"forecast_id\": \"" + answer.path("forecast_id").asString() + "\", \"id\": \"s" + s
                    + "\", \"values\": " + values + "}");
        }
        HttpResponse<String> posted = post("/v1/models/" + MODEL + ":actuals", "{\"actuals\": " + actuals + "}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(json(posted).path("unmatched").asLong()).isZero();
        return answer;
    }

    /**
     * Runs the shipped alert rules in promtool on series built from the app's values: the counters grow
     * linearly to what the app exported over an hour, the nominal coverage is the app's gauge.
     */
    private Promtool.Result coverageAlert(double points, double covered, double coverage) throws Exception {
        Files.copy(Path.of("deploy/prometheus/alerts.yml"), work.resolve("alerts.yml"));
        String labels = "model=\"" + MODEL + "\",version=\"1\",target=\"value\",level=\"80\"";
        String nominal = String.valueOf(
                gauge("seqserve_forecast_interval_nominal_ratio{application=\"seqserve\",level=\"80\"}"));
        String percent = new BigDecimal(coverage * 100)
                .round(new MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
        Files.writeString(work.resolve("test.yml"), """
                rule_files: [alerts.yml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'seqserve_forecast_interval_nominal_ratio{level="80"}'
                        values: '%1$sx120'
                      - series: 'seqserve_forecast_interval_points_total{%2$s}'
                        values: '0+%3$sx120'
                      - series: 'seqserve_forecast_interval_covered_total{%2$s}'
                        values: '0+%4$sx120'
                    alert_rule_test:
                      - eval_time: 90m
                        alertname: SeqserveForecastCoverageLow
                        exp_alerts:
                          - exp_labels: {severity: warning, model: %5$s, version: "1", target: value, level: "80"}
                            exp_annotations:
                              summary: "%5$s v1 (value): 80 %% intervals hold only %6$s%% of the actuals over 1 h"
                              description: "%7$s"
                """.formatted(
                        nominal,
                        labels,
                        points / 60,
                        covered / 60,
                        MODEL,
                        percent,
                        "Coverage is more than 10 points below nominal: the model is stale or its residuals no longer"
                                + " fit. Retrain on recent data (POST /v1/training-jobs with"
                                + " publish.promote_if_better) or recalibrate."));
        Promtool.Result result = Promtool.run(work, "test", "rules", "test.yml");
        log.info("promtool on the app's values: {}", result.output().strip());
        return result;
    }

    private double counter(String name, String version, String lastLabel) throws Exception {
        String prefix = name + "{application=\"seqserve\",";
        for (String line : get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(prefix)
                    && line.contains("model=\"" + MODEL + "\"")
                    && line.contains("version=\"" + version + "\"")
                    && line.contains(lastLabel)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " of version " + version);
    }

    private double gauge(String series) throws Exception {
        Matcher m = Pattern.compile(Pattern.quote(series) + " (\\S+)")
                .matcher(get("/actuator/prometheus").body());
        assertThat(m.find()).as(series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private void awaitState(int version, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!get("/v1/models/" + MODEL + "/versions/" + version).body().contains("\"state\":\"" + state + "\"")) {
            assertThat(System.nanoTime())
                    .as("v" + version + " " + state + " in time")
                    .isLessThan(until);
            Thread.sleep(200);
        }
    }

    private JsonNode awaitJob(String id) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            JsonNode job = json(get("/v1/training-jobs/" + id));
            String status = job.path("status").asString();
            if (status.equals("succeeded")) {
                return job;
            }
            assertThat(status).as(job.toString()).isNotIn("failed", "cancelled");
            assertThat(System.nanoTime()).as("training in time").isLessThan(until);
            Thread.sleep(500);
        }
    }

    /** Waits until no shadow copy is running (every submitted copy counted by outcome). */
    private void awaitShadowsSettled() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String shadow = get("/v1/models/" + MODEL + "/labels/shadow").statusCode() == 200 ? "yes" : "no";
            if (shadow.equals("no")
                    || get("/actuator/prometheus")
                            .body()
                            .contains("seqserve_forecast_shadow_requests_total{application=\"seqserve\",model=\""
                                    + MODEL + "\",outcome=\"completed\"}")) {
                return;
            }
            assertThat(System.nanoTime()).as("shadow copy done in time").isLessThan(until);
            Thread.sleep(100);
        }
    }

    private JsonNode awaitDecision() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode decided = json(get("/v1/models/" + MODEL + "/accuracy")).at("/promotion/decided");
            if (decided.size() > 0) {
                return decided.get(decided.size() - 1);
            }
            assertThat(System.nanoTime()).as("the gate decided in time").isLessThan(until);
            Thread.sleep(200);
        }
    }
}
