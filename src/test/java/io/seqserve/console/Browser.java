package io.seqserve.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both by absolute path, so Selenium
 * Manager never runs and nothing is downloaded ({@code @BrowserTest} checks they are installed). One browser per test class, with a fresh profile under
 * {@code target/}; screenshots go to {@code target/console-screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;

    Browser() throws IOException {
        // Belt and braces: if Selenium Manager were ever consulted, it must not go online.
        System.setProperty("SE_OFFLINE", "true");
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=1280,800",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Sets the viewport to width x height (the window is larger by whatever frame it has, even headless). */
    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        long frameWidth = width - ((Number) js("return window.innerWidth")).longValue();
        long frameHeight = height - ((Number) js("return window.innerHeight")).longValue();
        if (frameWidth != 0 || frameHeight != 0) {
            driver.manage().window().setSize(new Dimension((int) (width + frameWidth), (int) (height + frameHeight)));
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for the condition; a timeout names it and quotes every error box and status line the page shows. */
    <T> T await(String what, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, WAIT)
                .withMessage(() -> what + "; the page shows: " + js("""
                return [...document.querySelectorAll('.problem, .status')].filter(e => e.offsetParent !== null && e.textContent.trim())
                    .map(e => (e.id || e.className) + ': ' + e.textContent.trim()).join(' | ');
                """))
                .pollingEvery(Duration.ofMillis(50))
                .until(condition);
    }

    /** Waits until the element's text contains {@code text}; returns the whole text. */
    String awaitText(String css, String text) {
        return await(css + " shows '" + text + "'", d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.get(0).getText().contains(text)
                    ? found.get(0).getText()
                    : null;
        });
    }

    /** The viewport as the user sees it. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The whole page at the current width: the viewport is stretched to the page's height for the shot. */
    Path fullPage(String name) throws IOException {
        int width = ((Number) js("return window.innerWidth")).intValue();
        int height = ((Number) js("return window.innerHeight")).intValue();
        long page = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        size(width, (int) Math.min(page, 6000));
        try {
            return screenshot(name);
        } finally {
            size(width, height);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
