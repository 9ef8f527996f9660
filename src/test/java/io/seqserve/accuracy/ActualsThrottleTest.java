package io.seqserve.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.OwnServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A forecast log that cannot keep up (here: its pending bound is smaller than one entry): forecasts are still
 * answered, their entries dropped and counted; actuals are refused with 429 and Retry-After before anything is
 * scored, so a flood of actuals waits for the writer instead of filling the heap.
 */
@TestPropertySource(properties = "seqserve.accuracy.log.max-pending=10B")
class ActualsThrottleTest extends OwnServerTest {

    private static final String MODEL = "acc-throttled";

    @Test
    void actualsAre429WithRetryAfterWhileTheLogIsBehind() throws Exception {
        AccuracyModels.linear(modelsRoot(), MODEL, 1, 1.0f);
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!get("/v1/models/" + MODEL).body().contains("\"state\":\"available\"")) {
            assertThat(System.nanoTime()).as("available in time").isLessThan(until);
            Thread.sleep(200);
        }
        HttpResponse<String> forecast = post(
                "/v1/models/" + MODEL + ":forecast",
                "{\"series\": [{\"id\": \"a\", \"values\": [1, 2]}], \"horizon\": 2}");
        assertThat(forecast.statusCode()).as(forecast.body()).isEqualTo(200);
        String id = json(forecast).path("forecast_id").asString();
        assertThat(get("/actuator/prometheus").body())
                .contains("seqserve_forecast_log_dropped_total{application=\"seqserve\",kind=\"forecast\"} 1.0");

        HttpResponse<String> refused = post(
                "/v1/models/" + MODEL + ":actuals",
                "{\"actuals\": [{\"forecast_id\": \"" + id + "\", \"values\": [2, 2]}]}");
        assertProblem(refused, 429, "capacity", null);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        JsonNode counts = json(get("/v1/models/" + MODEL + "/accuracy")).path("actuals");
        assertThat(counts.path("matched").asLong() + counts.path("unmatched").asLong())
                .as("nothing was applied")
                .isZero();
    }
}
