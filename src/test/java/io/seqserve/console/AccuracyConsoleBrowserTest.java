package io.seqserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.accuracy.AccuracyModels;
import io.seqserve.testing.BrowserTest;
import io.seqserve.testing.OwnServerTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The forecast view's accuracy card in a real headless Chromium: after forecasts of a model and its shadow
 * were scored against actuals over HTTP, the card shows both versions' error and coverage over time (uPlot's
 * data: the numbers the API answers) and a table of their scores; a model without actuals shows no card.
 */
@BrowserTest
@TestPropertySource(properties = "seqserve.accuracy.bucket=1s")
class AccuracyConsoleBrowserTest extends OwnServerTest {

    private static final String MODEL = "acc-console";
    private static Browser browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        AccuracyModels.linear(modelsRoot(), MODEL, 1, 1.0f);
        AccuracyModels.linear(modelsRoot(), "acc-console-quiet", 1, 1.0f);
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCardDrawsEachVersionsErrorAndCoverageOverTime() throws Exception {
        awaitAvailable(MODEL, 1);
        assertThat(put("/v1/models/" + MODEL + "/labels/production", "{\"version\": 1}"))
                .isEqualTo(200);
        AccuracyModels.linear(modelsRoot(), MODEL, 2, 1.1f);
        awaitAvailable(MODEL, 2);
        assertThat(put("/v1/models/" + MODEL + "/labels/shadow", "{\"version\": 2}"))
                .isEqualTo(200);
        // Two rounds a few buckets apart, so the chart has points over time.
        for (int round = 0; round < 2; round++) {
            scoreRound(round);
            Thread.sleep(1_200);
        }

        browser.open("http://127.0.0.1:" + port + "/#/forecast?model=" + MODEL);
        browser.awaitText("#accuracy-summary", "production version 1, shadow 2");
        Map<String, Object> chart = (Map<String, Object>) browser.js("""
                const u = window.seqserveConsole.charts.accuracy;
                const present = column => column.filter(v => v !== null && v !== undefined);
                return {labels: u.series.map(s => s.label), buckets: u.data[0].length,
                        v1mae: present(u.data[1]), v1coverage: present(u.data[2]), v2mae: present(u.data[3])};
                """);
        assertThat((List<Object>) chart.get("labels"))
                .containsExactly("time", "v1 MAE", "v1 80% coverage", "v2 MAE", "v2 80% coverage");
        assertThat(((Number) chart.get("buckets")).intValue()).isGreaterThanOrEqualTo(2);
        // The naive model misses a 10 % step by 1 at x = 10 and 1.21 * 10 - 10 at step 2: MAE 1.55, inside +-1.7 once.
        for (Object mae : (List<?>) chart.get("v1mae")) {
            assertThat(((Number) mae).doubleValue()).isBetween(1.5, 1.6);
        }
        for (Object coverage : (List<?>) chart.get("v1coverage")) {
            assertThat(((Number) coverage).doubleValue()).isEqualTo(0.5);
        }
        for (Object mae : (List<?>) chart.get("v2mae")) {
            assertThat(((Number) mae).doubleValue()).isLessThan(0.01);
        }
        String table = browser.find("#accuracy-table").getText();
        assertThat(table).contains("1 (production)", "2 (shadow)", "50 %");
        browser.fullPage("accuracy-card");

        browser.open("about:blank");
        browser.open("http://127.0.0.1:" + port + "/#/forecast?model=acc-console-quiet");
        browser.awaitText("#forecast-model-info", "Reads the last 2 values");
        Thread.sleep(500);
        assertThat(browser.find("#accuracy-card").isDisplayed()).isFalse();
    }

    /** One series at 10 forecast 2 steps; the actuals grow 10 % a step (11, 12.1). */
    private void scoreRound(int round) throws Exception {
        String id = "r" + round;
        HttpResponse<String> forecast = post(
                "/v1/models/" + MODEL + ":forecast",
                "{\"series\": [{\"id\": \"" + id + "\", \"values\": [" + (10 / 1.1) + ", 10]}], \"horizon\": 2}");
        assertThat(forecast.statusCode()).as(forecast.body()).isEqualTo(200);
        String forecastId = json(forecast).path("forecast_id").asString();
        awaitShadows(round + 1);
        StringJoiner actuals = new StringJoiner(",", "[", "]");
        actuals.add("{\"forecast_id\": \"" + forecastId + "\", \"id\": \"" + id + "\", \"values\": [11, 12.1]}");
        HttpResponse<String> posted = post("/v1/models/" + MODEL + ":actuals", "{\"actuals\": " + actuals + "}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(json(posted).path("scored").asLong()).isEqualTo(4);
    }

    private void awaitShadows(int count) throws Exception {
        String line = "seqserve_forecast_shadow_requests_total{application=\"seqserve\",model=\"" + MODEL
                + "\",outcome=\"completed\"} " + (double) count;
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!get("/actuator/prometheus").body().contains(line)) {
            assertThat(System.nanoTime()).as(line).isLessThan(until);
            Thread.sleep(100);
        }
    }

    private void awaitAvailable(String name, int version) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!get("/v1/models/" + name + "/versions/" + version).body().contains("\"state\":\"available\"")) {
            assertThat(System.nanoTime()).as(name + " available in time").isLessThan(until);
            Thread.sleep(200);
        }
    }

    private int put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)))
                .statusCode();
    }
}
