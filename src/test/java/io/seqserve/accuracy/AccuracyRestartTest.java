package io.seqserve.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.ForkedServer;
import io.seqserve.testing.HttpTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nothing lost, in real processes: the application is killed (SIGKILL, no shutdown hook) right after scoring
 * actuals, a torn half-line is left at the end of its newest log segment as a crash mid-write would, and the
 * next process on the same data directory has the same scores, knows which points were scored (a repeated
 * actual is a duplicate) and which forecasts are still open (a new actual for them is matched).
 */
@HttpTest
class AccuracyRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODEL = "acc-restart";

    @TempDir
    Path work;

    @Test
    void scoresAndOpenForecastsSurviveAKillAndATornWrite() throws Exception {
        Path models = Files.createDirectories(work.resolve("models"));
        Path data = work.resolve("data");
        AccuracyModels.linear(models, MODEL, 1, 1.0f);
        List<String> args = List.of(
                "--seqserve.models.root=" + models,
                "--seqserve.data.dir=" + data,
                "--seqserve.accuracy.log.fsync-interval=50ms");

        JsonNode before;
        try (ForkedServer first = ForkedServer.start(Map.of(), List.of(), args)) {
            awaitAvailable(first);
            HttpResponse<String> forecast = first.post(
                    "/v1/models/" + MODEL + ":forecast",
                    "{\"series\": [{\"id\": \"a\", \"values\": [4, 10]}, {\"id\": \"b\", \"values\": [1, 2]}],"
                            + " \"horizon\": 3}");
            assertThat(forecast.statusCode()).as(forecast.body()).isEqualTo(200);
            HttpResponse<String> actuals = first.post(
                    "/v1/models/" + MODEL + ":actuals",
                    "{\"actuals\": [{\"id\": \"a\", \"step\": 2, \"values\": [11, 13]}]}");
            assertThat(actuals.statusCode()).as(actuals.body()).isEqualTo(200);
            before = window(first);
            assertThat(before.path("points").asLong()).isEqualTo(2);
            Thread.sleep(
                    500); // the writer thread has written the entries (the OS holds them; fsync is for a machine crash)
            first.kill();
        }
        Path newest;
        try (Stream<Path> segments = Files.list(data.resolve("accuracy/log"))) {
            newest = segments.sorted().reduce((a, b) -> b).orElseThrow();
        }
        Files.writeString(
                newest, "0badc0de {\"t\":\"f\",\"id\":\"f_torn", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);

        try (ForkedServer second = ForkedServer.start(Map.of(), List.of(), args)) {
            awaitAvailable(second);
            assertThat(second.log()).contains("cut 30 bytes of a torn write").doesNotContain("cannot be written");
            JsonNode after = window(second);
            assertThat(after.path("points").asLong()).isEqualTo(2);
            assertThat(after.path("mae").asDouble())
                    .isEqualTo(before.path("mae").asDouble(), within(1e-9));
            assertThat(after.path("rmse").asDouble())
                    .isEqualTo(before.path("rmse").asDouble(), within(1e-9));

            JsonNode again = JSON.readTree(second.post(
                            "/v1/models/" + MODEL + ":actuals",
                            "{\"actuals\": [{\"id\": \"a\", \"step\": 2, \"values\": [11, 13]},"
                                    + " {\"id\": \"b\", \"step\": 2, \"values\": [3]}]}")
                    .body());
            assertThat(again.path("duplicate").asLong()).isEqualTo(2);
            assertThat(again.path("matched").asLong()).isEqualTo(1);
            assertThat(window(second).path("points").asLong()).isEqualTo(3);
        }
    }

    private static JsonNode window(ForkedServer server) throws Exception {
        HttpResponse<String> report = server.get("/v1/models/" + MODEL + "/accuracy");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        return JSON.readTree(report.body()).at("/versions/0/targets/0/window");
    }

    private static void awaitAvailable(ForkedServer server) throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!server.get("/v1/models/" + MODEL).body().contains("\"state\":\"available\"")) {
            assertThat(System.nanoTime()).as("available in time").isLessThan(until);
            Thread.sleep(200);
        }
    }
}
