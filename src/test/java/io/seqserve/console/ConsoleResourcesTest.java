package io.seqserve.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqserve.testing.ServerTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The console's files over HTTP: the page at {@code /}, its modules, the chart library from its WebJar
 * (version-less URL, no CDN), the samples and {@code /console/config}; and unknown paths still answer the
 * API's 404 problem.
 */
class ConsoleResourcesTest extends ServerTest {

    private static final Path STATIC = Path.of("src/main/resources/static");

    @Test
    void thePageItsModulesTheChartLibraryAndTheSamplesAreServed() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body())
                .contains("<title>seqserve console</title>", "/console/app.js", "/webjars/uplot/dist/uPlot.min.css");

        HttpResponse<String> uplot = get("/webjars/uplot/dist/uPlot.esm.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(uplot.body()).contains("export { uPlot as default }");
        assertThat(get("/webjars/uplot/dist/uPlot.min.css").statusCode()).isEqualTo(200);

        for (String module : new String[] {
            "app", "api", "ui", "csv", "charts", "catalog", "models", "forecast", "generate", "training", "accuracy"
        }) {
            HttpResponse<String> js = get("/console/" + module + ".js");
            assertThat(js.statusCode()).as(module).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type").orElse(""))
                    .as(module)
                    .contains("javascript");
        }
        assertThat(get("/console/console.css").statusCode()).isEqualTo(200);

        HttpResponse<String> sunspots = get("/samples/sunspots.csv");
        assertThat(sunspots.statusCode()).isEqualTo(200);
        assertThat(sunspots.body().lines()).hasSize(151).first().isEqualTo("year,sunspots");
        assertThat(get("/samples/nile.csv").body().lines()).hasSize(101);
        assertThat(get("/samples/sonnets.txt").body()).contains("Shall I compare thee to a summer's day?");
    }

    @Test
    void everythingThePageLoadsComesFromThisServer() throws IOException {
        try (Stream<Path> files = Files.walk(STATIC)) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.(html|js|css)$"))
                    .toList()) {
                String text = Files.readString(file);
                Matcher imports = Pattern.compile(
                                "(?:src|href)=\"([^\"]*)\"|from '([^']*)'|@import\\s+url\\(([^)]*)\\)")
                        .matcher(text);
                while (imports.find()) {
                    String target = imports.group(1) != null
                            ? imports.group(1)
                            : imports.group(2) != null ? imports.group(2) : imports.group(3);
                    assertThat(target).as("%s loads %s", file, target).matches("(/|\\./|#).*");
                }
            }
        }
    }

    @Test
    void configSaysWhetherWritesNeedATokenAndWhereGrafanaIs() throws Exception {
        HttpResponse<String> response = get("/console/config");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode config = json(response);
        assertThat(config.get("write_token").asBoolean()).isFalse();
        assertThat(config.get("grafana_url").isNull()).isTrue();
    }

    @Test
    void aGrafanaUrlMustBeHttp() {
        assertThat(new ConsoleProperties(" https://grafana.example/d/seqserve ").grafanaUrl())
                .isEqualTo("https://grafana.example/d/seqserve");
        assertThat(new ConsoleProperties("").grafanaUrl()).isNull();
        assertThatThrownBy(() -> new ConsoleProperties("javascript:alert(1)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)");
    }

    @Test
    void unknownPathsBesideThePageAreStillProblems() throws Exception {
        for (String path : new String[] {
            "/nope", "/console/nope.js", "/v1/nope", "/samples/missing.csv", "/webjars/uplot/dist/nope.js"
        }) {
            JsonNode problem = assertProblem(get(path), 404);
            assertThat(problem.get("title").asString()).as(path).isEqualTo("Not Found");
        }
        assertProblem(send("POST", "/console/config", "application/json", "{}"), 405);
    }
}
