package io.seqserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.BrowserTest;
import io.seqserve.testing.ServerTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a real headless Chromium against the real server: each view loads, a model registers by
 * upload (with the write token as a bearer token) or is refused with its reason, a forecast draws its
 * history and bands (checked in uPlot's data and in the canvas pixels), a backtest fills its table, a
 * generation streams text that grows token by token and can be stopped, an API problem is shown as a
 * readable message, and every view fits a phone's width with every control labelled.
 */
@BrowserTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest extends ServerTest {

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

    @BeforeEach
    void modelsLoaded() throws Exception {
        for (String name : ConsoleTestModels.AVAILABLE) {
            awaitState(name, "available");
        }
        awaitState(ConsoleTestModels.BROKEN, "failed");
        browser.size(1280, 800);
    }

    @Test
    @Order(1)
    void modelsViewShowsEveryVersionWithStateSignatureWorkersAndWhyOneFailed() throws IOException {
        open("#/models");
        String sunspots = browser.awaitText(row(ConsoleTestModels.FORECASTER), "available");
        assertThat(sunspots)
                // the demo manifest leaves inputs and outputs to the forecasting section and the warm-up (output_0)
                .contains("torchscript", "forecasting", "input any × 24 × 1 → output_0 any × 1", "0/1 busy, 0 queued");
        browser.awaitText(row(ConsoleTestModels.BROKEN), "failed");
        String reason = (String) browser.js(
                "return arguments[0].nextElementSibling.textContent", browser.find(row(ConsoleTestModels.BROKEN)));
        assertThat(reason).contains("could not load the model");

        browser.find(row(ConsoleTestModels.TEXT) + " button").click();
        String detail = browser.awaitText("#model-detail", "Generate with it");
        assertThat(detail)
                .contains(
                        "console-gru",
                        "version 1",
                        "text-generation",
                        "savedmodel",
                        "INPUTS",
                        "OUTPUTS",
                        "WORKERS",
                        "cpu");
        assertThat(browser.js("return document.activeElement.closest('#model-detail') !== null"))
                .as("focus moved to the details")
                .isEqualTo(true);
        browser.find("#model-detail details summary").click();
        assertThat(browser.find("#model-detail pre").getText())
                .contains("/v1/models/console-gru/versions/1:generate", "\"stream\":true");

        assertThat(browser.find("nav.tools a[href='/swagger-ui.html']").isDisplayed())
                .isTrue();
        assertThat(browser.find("nav.tools a[href='/actuator/prometheus']").isDisplayed())
                .isTrue();
        assertThat(browser.find("#grafana-link").isDisplayed())
                .as("no Grafana link unless configured")
                .isFalse();
        browser.screenshot("models-1280x800");
    }

    @Test
    @Order(2)
    void aModelRegisteredByUploadLoadsAndABrokenOneIsRefusedWithItsReason() throws IOException {
        Path good = zip("console-uploaded.zip", Path.of("models/sunspots-lstm/1"), null);
        Path bad = zip("console-upload-bad.zip", null, "not a TorchScript archive");
        open("#/models");
        browser.awaitText(row(ConsoleTestModels.FORECASTER), "available");
        // Whatever the page sends, the write token typed here goes along as a bearer token.
        browser.js("""
                window.authorizations = [];
                const original = window.fetch;
                window.fetch = (url, init = {}) => {
                  if (init.method === 'POST') window.authorizations.push(url + ' ' + (init.headers?.Authorization ?? 'none'));
                  return original(url, init);
                };
                """);
        fill("#register-token", "t0ken");
        fill("#register-name", "console-uploaded");
        browser.find("#register-file").sendKeys(good.toAbsolutePath().toString());
        browser.find("#register-submit").click();
        assertThat(browser.awaitText("#register-status", "Registered"))
                .isEqualTo("Registered console-uploaded version 1: available.");
        browser.awaitText(row("console-uploaded"), "available");
        assertThat(browser.awaitText("#model-detail", "Forecast with it")).contains("console-uploaded", "torchscript");
        assertThat(browser.js("return window.authorizations")).isEqualTo(List.of("/v1/models Bearer t0ken"));

        fill("#register-name", "console-upload-bad");
        browser.find("#register-file").sendKeys(bad.toAbsolutePath().toString());
        browser.find("#register-submit").click();
        String problem = browser.awaitText("#register-error", "422");
        assertThat(problem).contains("could not load the model");
        assertThat(browser.findAll(row("console-upload-bad"))).isEmpty();
        browser.screenshot("models-register-1280x800");

        open("#/training");
        assertThat(browser.find("#training-token").getDomProperty("value"))
                .as("one token for every form of the tab")
                .isEqualTo("t0ken");
        browser.js("sessionStorage.clear()");
    }

    /** A .zip of one version directory's files, or of one file with the given content. */
    private static Path zip(String name, Path directory, String junk) throws IOException {
        Path file = Files.createDirectories(Path.of("target/console-uploads")).resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            if (directory != null) {
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path f : files.sorted().toList()) {
                        out.putNextEntry(new ZipEntry(f.getFileName().toString()));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            } else {
                out.putNextEntry(new ZipEntry("model.pt"));
                out.write(junk.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }

    @Test
    @Order(3)
    void forecastDrawsHistoryMeanAndBandsAndBacktestScoresTheBaselines() throws IOException {
        open("#/forecast?model=" + ConsoleTestModels.FORECASTER + "&version=1&sample=/samples/sunspots.csv");
        String status = browser.awaitText("#forecast-status", "steps ahead");
        assertThat(status).contains("console-sunspots version 1: 12 steps ahead of 150 values");

        @SuppressWarnings("unchecked")
        Map<String, Object> chart = (Map<String, Object>) browser.js("""
                const u = window.seqserveConsole.charts.forecast;
                const present = column => column.filter(v => v !== null && v !== undefined).length;
                const n = 150;
                let ordered = true;
                for (let i = n; i < u.data[0].length; i++) {
                  const [mean, upper95, lower95, upper80, lower80] = [2, 3, 4, 5, 6].map(s => u.data[s][i]);
                  ordered = ordered && lower95 <= lower80 && lower80 < mean && mean < upper80 && upper80 <= upper95 && lower95 < upper95;
                }
                // Pixels (the canvas is transparent where nothing is drawn): the history's opaque blue left of the
                // last observation, the bands' translucent orange right of it.
                const ctx = u.ctx, box = u.bbox;
                const cut = Math.round(u.valToPos(u.data[0][n - 1], 'x', true));
                const pixels = ctx.getImageData(box.left, box.top, box.width, box.height).data;
                let blueLeft = 0, bandRight = 0, bandLeft = 0;
                for (let p = 0; p < pixels.length; p += 4) {
                  const x = box.left + (p / 4) % box.width;
                  const [r, g, b, a] = [pixels[p], pixels[p + 1], pixels[p + 2], pixels[p + 3]];
                  const blue = a > 100 && b > 170 && r < 120;
                  const band = a > 15 && a < 150 && r > 200 && g < 110 && b < 40;
                  if (blue && x < cut - 2) blueLeft++;
                  if (band && x > cut + 2) bandRight++;
                  if (band && x < cut - 2) bandLeft++;
                }
                return {labels: u.series.map(s => s.label), points: u.data[0].length, history: present(u.data[1]),
                        mean: present(u.data[2]), bands: u.bands.length, ordered, blueLeft, bandRight, bandLeft};
                """);
        assertThat(chart.get("labels"))
                .isEqualTo(List.of("year", "sunspots", "forecast", "95% upper", "95% lower", "80% upper", "80% lower"));
        assertThat(chart.get("points")).isEqualTo(162L);
        assertThat(chart.get("history")).isEqualTo(150L);
        assertThat(chart.get("mean"))
                .as("12 steps plus the joint at the last observation")
                .isEqualTo(13L);
        assertThat(chart.get("bands")).isEqualTo(2L);
        assertThat(chart.get("ordered"))
                .as("95% lower < 80% lower < 80% upper < 95% upper around the mean")
                .isEqualTo(true);
        assertThat((Long) chart.get("blueLeft")).as("history pixels drawn").isGreaterThan(200);
        assertThat((Long) chart.get("bandRight"))
                .as("band pixels drawn after the history")
                .isGreaterThan(2000);
        assertThat((Long) chart.get("bandLeft")).as("no band over the history").isZero();

        browser.find("#forecast-values-box summary").click();
        assertThat(browser.findAll("#forecast-values tbody tr")).hasSize(12);
        assertThat(browser.find("#forecast-values thead").getText()).contains("80% LOWER", "95% UPPER");

        browser.find("#backtest-run").click();
        String table = browser.awaitText("#backtest-table", "seasonal naive");
        assertThat(table)
                .contains("console-sunspots v1", "naive (last value)", "seasonal naive (11 back)", "80% COVERAGE");
        List<WebElement> rows = browser.findAll("#backtest-table tbody tr");
        assertThat(rows).hasSize(3);
        for (WebElement r : rows) {
            assertThat(r.findElements(By.cssSelector("td"))
                            .get(0)
                            .getText()
                            .lines()
                            .findFirst()
                            .orElse(""))
                    .as("MAE of %s", r.getText())
                    .matches("[0-9.,]+");
        }
        assertThat(browser.find("#backtest-summary").getText()).contains("5 cut-offs, 12 steps each");
        browser.js("document.querySelector('#backtest-card').scrollIntoView()");
        browser.screenshot("forecast-backtest-1280x800");
        browser.js("window.scrollTo(0, 0)");
        browser.screenshot("forecast-1280x800");
    }

    @Test
    @Order(4)
    void aProblemFromTheApiIsShownAsAReadableMessage() throws IOException {
        open("#/forecast?model=" + ConsoleTestModels.FORECASTER + "&version=1&sample=/samples/sunspots.csv");
        browser.awaitText("#forecast-status", "steps ahead");
        WebElement csv = browser.find("#forecast-csv");
        csv.clear();
        csv.sendKeys("3\n1\n4\n1\n5\n9\n2\n6\n5\n3");
        browser.awaitText("#forecast-csv-info", "10 values");
        browser.find("#forecast-run").click();
        String message = browser.awaitText("#forecast-error", "422");
        assertThat(message)
                .contains("422 Series too short", "has 10 values; model 'console-sunspots' reads a window of 24");
        assertThat(browser.find("#forecast-error").getAttribute("role")).isEqualTo("alert");
        browser.screenshot("forecast-problem-1280x800");

        csv.clear();
        csv.sendKeys("1\nx\n3");
        browser.find("#forecast-run").click();
        assertThat(browser.awaitText("#forecast-error", "Check the form"))
                .contains("every value of a column must be a number");
    }

    @Test
    @Order(5)
    void generationStreamsTokenByTokenAndStops() throws IOException {
        open("#/generate?model=" + ConsoleTestModels.TEXT + "&version=1");
        browser.await(
                "the model is chosen",
                d -> "console-gru/versions/1"
                        .equals(browser.find("#generate-model").getDomProperty("value")));
        WebElement prompt = browser.find("#generate-prompt");

        prompt.clear();
        prompt.sendKeys("€uro");
        browser.find("#generate-run").click();
        assertThat(browser.awaitText("#generate-error", "422")).contains("not in the model's vocabulary");

        prompt.clear();
        prompt.sendKeys("to be, or not to be");
        fill("#generate-max-tokens", "200");
        fill("#generate-seed", "7");
        browser.js("""
                const out = document.querySelector('#generate-output');
                window.lengths = [];
                new MutationObserver(() => window.lengths.push(out.textContent.length))
                    .observe(out, {childList: true, characterData: true, subtree: true});
                """);
        // Keyboard only: from the prompt, Tab reaches Generate and Enter presses it.
        prompt.sendKeys(Keys.TAB);
        assertThat(browser.js("return document.activeElement.id")).isEqualTo("generate-run");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        String status = browser.awaitText("#generate-status", "Finished");
        assertThat(status).contains("Finished (length): 200 tokens");
        assertThat(browser.find("#generate-error").isDisplayed()).isFalse();
        String text = browser.find("#generate-output").getText();
        @SuppressWarnings("unchecked")
        List<Long> lengths = (List<Long>) browser.js("return window.lengths");
        assertThat(lengths.stream().filter(l -> l > 0).distinct().count())
                .as("text grew in steps: %s", lengths)
                .isGreaterThanOrEqualTo(2);
        assertThat(lengths.get(lengths.size() - 1))
                .isEqualTo((long) browser.js("return document.querySelector('#generate-output').textContent.length"));
        assertThat(text).isNotBlank();
        assertThat(browser.find("#generate-echo").getText()).isEqualTo("to be, or not to be");
        browser.screenshot("generate-1280x800");

        fill("#generate-max-tokens", "4096");
        browser.find("#generate-run").click();
        browser.await(
                "the second text starts",
                d -> (Long) browser.js("return document.querySelector('#generate-output').textContent.length") > 0);
        browser.find("#generate-stop-button").click();
        String stopped = browser.awaitText("#generate-status", "Stopped after");
        int tokens = Integer.parseInt(stopped.replaceAll("\\D+", ""));
        assertThat(tokens).isPositive().isLessThan(4096);
        assertThat(browser.find("#generate-stop-button").isEnabled()).isFalse();
        assertThat(browser.find("#generate-run").isEnabled()).isTrue();
    }

    @Test
    @Order(6)
    void everyViewFitsAPhoneAndLabelsEveryControl() throws Exception {
        for (String view : List.of("models", "forecast", "generate", "training")) {
            for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
                browser.size(size[0], size[1]);
                open("#/" + view);
                browser.await(
                        view + " shown", d -> browser.find("#view-" + view).isDisplayed());
                settle(view);
                assertThat(browser.js("""
                        const width = document.documentElement.clientWidth;
                        return [...document.querySelectorAll('body *')]
                            .filter(e => e.getBoundingClientRect().right > width + 1 && e.closest('.table-wrap, .uplot') === null)
                            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))
                            .slice(0, 6);
                        """))
                        .as("%s at %dpx wide: what sticks out sideways", view, size[0])
                        .isEqualTo(List.of());
                assertThat(browser.js("""
                        return [...document.querySelectorAll('main table.data')]
                            .filter(t => t.closest('[hidden]') === null && t.tHead && getComputedStyle(t.tHead).display !== 'none'
                                && t.tBodies[0]?.rows.length)
                            .filter(t => Math.abs(t.tHead.rows[0].getBoundingClientRect().width - t.tBodies[0].rows[0].getBoundingClientRect().width) > 1)
                            .map(t => t.id);
                        """))
                        .as("%s at %dpx wide: tables whose header and rows disagree", view, size[0])
                        .isEqualTo(List.of());
                assertThat(browser.js(
                                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                        .as("%s at %dpx wide scrolls sideways", view, size[0])
                        .isEqualTo(0L);
                assertThat(browser.js("""
                        return [...document.querySelectorAll('main input, main select, main textarea, main button')]
                            .filter(e => e.closest('[hidden]') === null)
                            .filter(e => !((e.labels && [...e.labels].some(l => l.textContent.trim()))
                                || (e.getAttribute('aria-label') || '').trim() || (e.tagName === 'BUTTON' && e.textContent.trim())))
                            .map(e => e.id || e.outerHTML.slice(0, 80));
                        """))
                        .as("unlabelled controls in %s", view)
                        .isEqualTo(List.of());
                if (size[0] < 1000) {
                    browser.fullPage(view + "-390-wide");
                }
            }
        }
    }

    /** Waits for what each view fetches when shown, so the shot and the width check see the final page. */
    private void settle(String view) {
        switch (view) {
            case "models" -> browser.awaitText(row(ConsoleTestModels.FORECASTER), "available");
            case "forecast" -> browser.awaitText("#forecast-status", "steps ahead");
            case "generate" ->
                browser.await(
                        "model list",
                        d -> !browser.find("#generate-model")
                                .getDomProperty("value")
                                .isEmpty());
            default ->
                browser.await(
                        "training view",
                        d -> browser.find("#training-unavailable").isDisplayed()
                                || browser.find("#jobs-empty").isDisplayed()
                                || !browser.findAll("#jobs-table tbody tr").isEmpty());
        }
    }

    private void open(String hash) {
        // A fresh document each time: a hash-only change would keep the previous view's state.
        browser.open("about:blank");
        browser.open("http://127.0.0.1:" + port + "/" + hash);
    }

    private static String row(String name) {
        return "tr[data-ref='" + name + "/versions/1']";
    }

    private static void fill(String css, String value) {
        WebElement input = browser.find(css);
        input.clear();
        input.sendKeys(value);
    }

    private void awaitState(String name, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("/v1/models/" + name + "/versions/1");
            if (r.statusCode() == 200 && json(r).get("state").asString().equals(state)) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("%s version 1 %s in time (last: %s)", name, state, r.body())
                    .isLessThan(until);
            Thread.sleep(50);
        }
    }
}
