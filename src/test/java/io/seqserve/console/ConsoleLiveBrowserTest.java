package io.seqserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.BrowserTest;
import io.seqserve.testing.ServerTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Live view in a real headless Chromium against the real server: it opens a live session with the first
 * points of the sunspots sample, streams the rest one point at a time, and redraws the history, the forecast and
 * its bands after every answer (checked in uPlot's data as points arrive); Stop ends the session on the server.
 */
@BrowserTest
class ConsoleLiveBrowserTest extends ServerTest {

    static Browser browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        ConsoleTestModels.publish();
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void pointsStreamIntoASessionAndTheForecastAndBandsAreRedrawnAsEachArrives() throws Exception {
        awaitAvailable(ConsoleTestModels.FORECASTER);
        browser.size(1280, 800);
        browser.open("about:blank");
        browser.open("http://127.0.0.1:" + port + "/#/live?model=" + ConsoleTestModels.FORECASTER
                + "&version=1&sample=/samples/sunspots.csv&warmup=40&rate=20&horizon=6&start=1");
        browser.awaitText("#live-status", "observations");
        long first = drawnAfter(45);
        long later = drawnAfter(first + 10);
        assertThat(later).isGreaterThan(first);

        @SuppressWarnings("unchecked")
        Map<String, Object> chart = (Map<String, Object>) browser.js("""
                const u = window.seqserveConsole.charts.live;
                const present = column => column.filter(v => v !== null && v !== undefined).length;
                return {labels: u.series.map(s => s.label), history: present(u.data[1]), mean: present(u.data[2]),
                        bands: u.bands.length, seen: Number(document.querySelector('#live-chart').dataset.observations)};
                """);
        assertThat(chart.get("labels")).asString().contains("forecast", "95% upper", "80% lower");
        assertThat(chart.get("bands")).isEqualTo(2L);
        assertThat(chart.get("mean")).as("6 steps plus the joint").isEqualTo(7L);
        assertThat((Long) chart.get("history")).isEqualTo((Long) chart.get("seen"));
        String status = browser.find("#live-status").getText();
        assertThat(status).contains("console-sunspots v1").contains("the window stays on the server");
        String id = status.replaceAll("(?s).*Session (ls_[0-9a-f]+) .*", "$1");
        assertThat(get("/v1/sessions/" + id).statusCode()).isEqualTo(200);
        browser.screenshot("live-1280x800");

        browser.find("#live-stop").click();
        browser.awaitText("#live-status", "Stopped");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (get("/v1/sessions/" + id).statusCode() != 410) {
            assertThat(System.nanoTime()).as("session deleted").isLessThan(until);
            Thread.sleep(50);
        }
        long stopped = (Long) browser.js("return Number(document.querySelector('#live-chart').dataset.observations)");
        Thread.sleep(500);
        assertThat(browser.js("return Number(document.querySelector('#live-chart').dataset.observations)"))
                .as("no more points after Stop")
                .isEqualTo(stopped);
    }

    /** Waits until the chart shows a forecast after at least {@code count} observations; returns how many. */
    private long drawnAfter(long count) {
        browser.await("a redraw after " + count + " observations", d -> (Long) browser.js("""
                                const c = document.querySelector('#live-chart');
                                return window.seqserveConsole.charts.live ? Number(c.dataset.observations || 0) : 0;
                                """) >= count);
        return (Long) browser.js("return Number(document.querySelector('#live-chart').dataset.observations)");
    }

    private void awaitAvailable(String name) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("/v1/models/" + name + "/versions/1");
            if (r.statusCode() == 200 && json(r).get("state").asString().equals("available")) {
                return;
            }
            assertThat(System.nanoTime()).as("%s available in time", name).isLessThan(until);
            Thread.sleep(50);
        }
    }
}
