package io.seqserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.BrowserTest;
import io.seqserve.testing.ServerTest;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Training view in a real headless Chromium: a small job on the bundled Nile sample is started from
 * the form, its loss curve grows from the job's event stream, the trained version opens in Forecast and
 * draws a forecast there; a long job is cancelled from its Cancel button.
 */
@BrowserTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTrainingBrowserTest extends ServerTest {

    static Browser browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void sized() {
        browser.size(1280, 800);
    }

    @Test
    @Order(1)
    void aJobStartedFromTheFormShowsItsLossCurveAndOpensItsModelInForecast() throws IOException {
        open("#/training");
        new Select(browser.find("#training-sample")).selectByValue("/samples/nile.csv");
        browser.awaitText("#training-data-info", "nile.csv: 100 rows");
        assertThat(new Select(browser.find("#training-column"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("volume");
        assertThat(new Select(browser.find("#training-task"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("forecasting");
        fill("#training-name", "console-trained");
        fill("#training-window", "8");
        fill("#training-hidden", "8");
        fill("#training-epochs", "6");
        fill("#training-batch", "16");
        browser.find("#training-start").click();

        browser.awaitText("#training-data-info", "Uploaded as");
        browser.await(
                "two loss points on the chart",
                d -> ((Number) browser.js("return window.seqserveConsole.charts.loss?.data[0].length ?? 0")).intValue()
                        >= 2);
        String done = browser.awaitText("#job-progress", "Succeeded");
        assertThat(done).contains("console-trained version 1 is being served");
        assertThat(browser.js("""
                const u = window.seqserveConsole.charts.loss;
                return u.data[1].every(v => Number.isFinite(v) && v > 0) && u.data[2].every(v => Number.isFinite(v) && v > 0)
                    && u.series[1].label === 'train loss' && u.series[2].label === 'validation loss';
                """))
                .as("positive train and validation losses per epoch")
                .isEqualTo(true);
        assertThat(((Number) browser.js("return window.seqserveConsole.charts.loss.data[0].length")).intValue())
                .isBetween(2, 6);
        assertThat(browser.find("#job-status").getText()).isEqualTo("succeeded");
        assertThat(browser.find("#job-metrics").getText())
                .contains("RMSE", "model, validation", "model, test", "naive", "seasonal naive");
        assertThat(browser.find("#job-splits").getText())
                .as("real values per part of the 100-row series")
                .contains("training", "70 of 70", "validation", "20 of 20", "test", "10 of 10");
        assertThat(browser.find("#job-open-generate").isDisplayed()).isFalse();
        assertThat(browser.findAll("#jobs-table tbody tr")).isNotEmpty();
        browser.js("window.scrollTo(0, 0)");
        browser.screenshot("training-1280x800");

        browser.find("#job-open-forecast").click();
        String status = browser.awaitText("#forecast-status", "steps ahead");
        assertThat(status).contains("console-trained version 1");
        assertThat(browser.find("#forecast-csv-info").getText()).contains("nile.csv: 100 values of “volume”");
        assertThat(browser.js("return window.seqserveConsole.charts.forecast.data[2].filter(v => v !== null).length"))
                .as("12 steps and the joint")
                .isEqualTo(13L);
        browser.screenshot("forecast-trained-1280x800");
    }

    @Test
    @Order(2)
    void aCharModelTrainedOnTheSonnetsOpensInGenerateAndWrites() throws IOException {
        open("#/training");
        new Select(browser.find("#training-sample")).selectByValue("/samples/sonnets.txt");
        browser.awaitText("#training-data-info", "sonnets.txt:");
        assertThat(new Select(browser.find("#training-task"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("text generation");
        assertThat(browser.find("#training-window").isDisplayed()).isFalse();
        fill("#training-name", "console-sonnets");
        fill("#training-seq", "32");
        fill("#training-embedding", "8");
        fill("#training-hidden", "32");
        fill("#training-epochs", "2");
        fill("#training-batch", "16");
        browser.find("#training-start").click();
        assertThat(browser.awaitText("#job-progress", "Succeeded")).contains("console-sonnets version 1");
        assertThat(((Number) browser.js("return window.seqserveConsole.charts.loss.data[0].length")).intValue())
                .isEqualTo(2);
        assertThat(browser.find("#job-open-forecast").isDisplayed()).isFalse();

        browser.find("#job-open-generate").click();
        browser.await(
                "the trained model chosen",
                d -> "console-sonnets/versions/1"
                        .equals(browser.find("#generate-model").getDomProperty("value")));
        fill("#generate-max-tokens", "40");
        browser.find("#generate-run").click();
        assertThat(browser.awaitText("#generate-status", "Finished")).contains("40 tokens");
        assertThat(browser.find("#generate-output").getText()).isNotEmpty();
    }

    @Test
    @Order(3)
    void aRunningJobIsCancelledFromItsButton() throws IOException {
        open("#/training");
        new Select(browser.find("#training-sample")).selectByValue("/samples/sunspots.csv");
        browser.awaitText("#training-data-info", "sunspots.csv: 150 rows");
        fill("#training-name", "console-cancelled");
        fill("#training-window", "24");
        fill("#training-hidden", "256");
        fill("#training-layers", "3");
        fill("#training-batch", "4");
        fill("#training-epochs", "1000");
        browser.find("#training-start").click();
        WebElement cancel = browser.await("the Cancel button", d -> {
            WebElement button = browser.find("#job-cancel");
            return button.isDisplayed() ? button : null;
        });
        cancel.click();
        assertThat(browser.awaitText("#job-progress", "Cancelled")).doesNotContain("Succeeded");
        assertThat(browser.find("#job-status").getText()).isEqualTo("cancelled");
        assertThat(browser.find("#job-cancel").isDisplayed()).isFalse();
        assertThat(browser.find("#job-open-forecast").isDisplayed()).isFalse();
        browser.await(
                "the job list shows the cancelled job",
                d -> browser.find("#jobs-table tbody").getText().contains("console-cancelled"));
        assertThat(browser.js("""
                const t = document.querySelector('#jobs-table');
                return Math.round(t.tHead.rows[0].getBoundingClientRect().width - t.tBodies[0].rows[0].getBoundingClientRect().width);
                """)).as("the job list's header spans its rows").isEqualTo(0L);
        browser.screenshot("training-cancelled-1280x800");
    }

    @Test
    @Order(4)
    void twoTargetsAndACalendarCovariatePickedInTheFormForecastInAPanelEach() throws IOException {
        open("#/training");
        new Select(browser.find("#training-sample")).selectByValue("/samples/airquality.csv");
        browser.awaitText("#training-data-info", "airquality.csv: 153 rows");
        new Select(browser.find("#training-column")).selectByValue("Ozone");
        new Select(browser.find("select[data-column='Temp']")).selectByValue("target");
        assertThat(new Select(browser.find("#training-time"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("date");
        browser.find("#training-calendar input[value='day_of_week']").click();
        fill("#training-name", "console-airquality");
        fill("#training-window", "7");
        fill("#training-season", "7");
        fill("#training-evaluation", "24");
        fill("#training-hidden", "16");
        fill("#training-epochs", "8");
        fill("#training-batch", "16");
        browser.find("#training-start").click();
        String done = browser.awaitText("#job-progress", "Succeeded");
        assertThat(done).contains("console-airquality version 1");
        assertThat(browser.find("#job-metrics").getText())
                .contains("Ozone · model, test", "Temp · seasonal naive", "over 15 steps");

        browser.find("#job-open-forecast").click();
        assertThat(browser.awaitText("#forecast-status", "steps ahead")).contains("2 targets");
        assertThat(browser.find("#forecast-model-info").getText()).contains("“Ozone”, “Temp”", "day of week");
        fill("#forecast-horizon", "24");
        browser.find("#forecast-run").click();
        browser.awaitText("#forecast-status", "24 steps ahead");
        assertThat(browser.js("""
                const c = window.seqserveConsole.charts;
                return ['Ozone', 'Temp'].map(t => {
                  const u = c['forecast:' + t];
                  return [u.series[1].label, u.data[2].filter(v => v !== null).length, u.bands.length];
                });
                """))
                .as("a panel per target: its history, 24 steps and the joint, two bands")
                .isEqualTo(java.util.List.of(java.util.List.of("Ozone", 25L, 2L), java.util.List.of("Temp", 25L, 2L)));
        assertThat(browser.findAll("#forecast-chart .chart-panel h3"))
                .extracting(h -> h.getText().toLowerCase(java.util.Locale.ROOT))
                .containsExactly("ozone", "temp");
        browser.find("#forecast-values-box summary").click();
        assertThat(browser.find("#forecast-values thead").getText()).contains("OZONE MEAN", "TEMP 80% UPPER");
        browser.js("window.scrollTo(0, 0)");
        browser.screenshot("forecast-two-targets-1280x800");
    }

    private void open(String hash) {
        browser.open("about:blank");
        browser.open("http://127.0.0.1:" + port + "/" + hash);
        browser.await(
                "the Training view with its job list",
                d -> browser.find("#jobs-empty").isDisplayed()
                        || !browser.findAll("#jobs-table tbody tr").isEmpty());
        assertThat(browser.find("#training-unavailable").isDisplayed()).isFalse();
    }

    private static void fill(String css, String value) {
        WebElement input = browser.find(css);
        input.clear();
        input.sendKeys(value);
    }
}
