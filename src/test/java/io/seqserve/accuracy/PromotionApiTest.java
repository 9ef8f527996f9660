package io.seqserve.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.OwnServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Shadow, canary and the promotion gate over real HTTP with known-answer models (the next value is
 * {@code factor} times the last) on a process that grows 10 % a step: factor 1.1 is exact, 1.0 is the naive
 * forecast (MASE 1), 0.5 far worse. A shadow does not change the answer but its forecasts are logged and
 * scored; the better shadow is promoted with its numbers, a worse one is refused with them (online and on a
 * backtest); a canary takes a sticky share of series ids.
 */
class PromotionApiTest extends OwnServerTest {

    @Test
    void aBetterShadowIsPromotedAndAWorseOneRefusedWithTheNumbers() throws Exception {
        String model = "acc-promo";
        publish(model, 1, 1.0f);
        assertThat(putLabel(model, "production", 1, null).statusCode()).isEqualTo(200);
        publish(model, 2, 1.1f);
        assertThat(putLabel(model, "shadow", 2, null).statusCode()).isEqualTo(200);

        JsonNode forecast = forecastGrowing(model, "a", 30);
        assertThat(forecast.path("version").asLong())
                .as("the shadow does not answer")
                .isEqualTo(1);
        assertThat(forecast.at("/forecasts/0/mean/0").asDouble()).isEqualTo(10.0, within(1e-4));
        awaitShadows(model, 1);
        JsonNode result =
                actualsGrowing(model, "a", 30, forecast.path("forecast_id").asString());
        assertThat(result.path("scored").asLong())
                .as("both versions' 2 steps of 30 series")
                .isEqualTo(120);

        // Too little evidence is 422 with the numbers.
        HttpResponse<String> thin =
                post("/v1/models/" + model + ":promote", "{\"version\": 2, \"online\": {\"min_points\": 1000}}");
        assertThat(thin.statusCode()).as(thin.body()).isEqualTo(422);
        assertThat(json(thin).path("points").asLong()).isEqualTo(60);

        HttpResponse<String> promoted =
                post("/v1/models/" + model + ":promote", "{\"version\": 2, \"online\": {\"min_points\": 50}}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        JsonNode decision = json(promoted);
        assertThat(decision.path("promoted").asBoolean()).isTrue();
        JsonNode online = decision.at("/compared/0");
        assertThat(online.path("evidence").asString()).isEqualTo("online");
        assertThat(online.path("metric").asString()).isEqualTo("mase");
        assertThat(online.at("/production/score").asDouble()).isEqualTo(1.0, within(1e-4));
        assertThat(online.at("/candidate/score").asDouble()).isLessThan(0.01);
        assertThat(online.at("/candidate/points").asLong()).isEqualTo(60);
        assertThat(json(get("/v1/models/" + model + "/labels/production"))
                        .path("version")
                        .asLong())
                .isEqualTo(2);

        // A worse candidate: shadowed against the new production, refused online and on a backtest.
        publish(model, 3, 0.5f);
        assertThat(putLabel(model, "shadow", 3, null).statusCode()).isEqualTo(200);
        JsonNode second = forecastGrowing(model, "b", 30);
        assertThat(second.path("version").asLong()).isEqualTo(2);
        awaitShadows(model, 2);
        actualsGrowing(model, "b", 30, second.path("forecast_id").asString());
        HttpResponse<String> refused = post(
                "/v1/models/" + model + ":promote",
                "{\"version\": 3, \"online\": {\"min_points\": 50}, \"backtest\": {\"series\": [{\"id\": \"g\", "
                        + "\"values\": " + growing(10, 24) + "}], \"horizon\": 2}}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode problem = json(refused);
        assertThat(problem.path("detail").asString()).contains("does not beat production version 2");
        JsonNode compared = problem.at("/decision/compared");
        assertThat(compared.size()).isEqualTo(2);
        assertThat(compared.at("/0/evidence").asString()).isEqualTo("online");
        // Online: (0.6 + 0.96) / (0.1 + 0.21) of the naive forecast's error, against about 0.
        assertThat(compared.at("/0/candidate/score").asDouble()).isEqualTo(1.56 / 0.31, within(1e-3));
        assertThat(compared.at("/0/production/score").asDouble()).isLessThan(0.01);
        assertThat(compared.at("/1/evidence").asString()).isEqualTo("backtest");
        assertThat(compared.at("/1/candidate/score").asDouble())
                .isGreaterThan(compared.at("/1/production/score").asDouble());
        assertThat(json(get("/v1/models/" + model + "/labels/production"))
                        .path("version")
                        .asLong())
                .as("a refusal changes nothing")
                .isEqualTo(2);

        // The accuracy view holds every version's scores and the routing.
        JsonNode report = json(get("/v1/models/" + model + "/accuracy"));
        assertThat(report.at("/routing/production").asLong()).isEqualTo(2);
        assertThat(report.at("/routing/shadow").asLong()).isEqualTo(3);
        assertThat(report.path("versions").findValues("version"))
                .extracting(JsonNode::asLong)
                .contains(1L, 2L, 3L);
        assertThat(get("/actuator/prometheus").body())
                .contains("seqserve_forecast_scored_points_total{application=\"seqserve\",model=\"" + model
                        + "\",step=\"1\",target=\"value\",version=\"3\"} 30.0");

        assertProblem(post("/v1/models/" + model + ":promote", "{\"version\": 3}"), 400, "invalid", "online");
        assertProblem(post("/v1/models/" + model + ":promote", "{\"online\": {}}"), 400, "invalid", "version");
        assertProblem(
                post("/v1/models/" + model + ":promote", "{\"version\": 9, \"online\": {}}"), 404, "not-found", null);
        assertProblem(
                post("/v1/models/" + model + ":promote", "{\"version\": 2, \"online\": {}}"), 409, "conflict", null);
    }

    @Test
    void aCanaryTakesAStickyShareOfSeriesIds() throws Exception {
        String model = "acc-canary";
        publish(model, 1, 1.0f);
        assertThat(putLabel(model, "production", 1, null).statusCode()).isEqualTo(200);
        publish(model, 2, 1.1f);
        assertThat(putLabel(model, "canary", 2, 0.25).statusCode()).isEqualTo(200);

        Map<String, Long> first = versions(forecastGrowing(model, "c", 400));
        long canary = first.values().stream().filter(v -> v == 2).count();
        assertThat(canary).as("about a quarter of 400 ids").isBetween(60L, 140L);
        Map<String, Long> again = versions(forecastGrowing(model, "c", 400));
        assertThat(again).as("each id stays on its version").isEqualTo(first);
        assertThat(get("/actuator/prometheus").body())
                .contains("seqserve_forecast_routed_series_total{application=\"seqserve\",model=\"" + model
                        + "\",route=\"canary\",version=\"2\"} " + (2.0 * canary));

        assertProblem(putLabel(model, "shadow", 2, 0.5), 400, "invalid", "weight");
        assertProblem(putLabel(model, "canary", 2, 1.5), 400, "invalid", "weight");
    }

    private void publish(String model, int version, float factor) throws Exception {
        AccuracyModels.linear(modelsRoot(), model, version, factor);
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!get("/v1/models/" + model + "/versions/" + version).body().contains("\"state\":\"available\"")) {
            assertThat(System.nanoTime())
                    .as(model + " v" + version + " available in time")
                    .isLessThan(until);
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> putLabel(String model, String label, long version, Double weight) throws Exception {
        String body = "{\"version\": " + version + (weight == null ? "" : ", \"weight\": " + weight) + "}";
        return send(java.net.http.HttpRequest.newBuilder(uri("/v1/models/" + model + "/labels/" + label))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Series {@code prefix-i} ending in {@code 10 + i}, the value before it a 10 % step smaller; horizon 2. */
    private JsonNode forecastGrowing(String model, String prefix, int count) throws Exception {
        StringJoiner series = new StringJoiner(",", "[", "]");
        for (int i = 0; i < count; i++) {
            double x = 10 + i;
            series.add("{\"id\": \"" + prefix + "-" + i + "\", \"values\": [" + (x / 1.1) + ", " + x + "]}");
        }
        HttpResponse<String> response =
                post("/v1/models/" + model + ":forecast", "{\"series\": " + series + ", \"horizon\": 2}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** What followed: 1.1 and 1.21 times the last value. */
    private JsonNode actualsGrowing(String model, String prefix, int count, String forecastId) throws Exception {
        StringJoiner items = new StringJoiner(",", "[", "]");
        for (int i = 0; i < count; i++) {
            double x = 10 + i;
            items.add("{\"forecast_id\": \"" + forecastId + "\", \"id\": \"" + prefix + "-" + i + "\", \"values\": ["
                    + (x * 1.1) + ", " + (x * 1.21) + "]}");
        }
        HttpResponse<String> response = post("/v1/models/" + model + ":actuals", "{\"actuals\": " + items + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static String growing(double from, int count) {
        StringJoiner values = new StringJoiner(",", "[", "]");
        double x = from;
        for (int i = 0; i < count; i++) {
            values.add(String.valueOf(x));
            x *= 1.1;
        }
        return values.toString();
    }

    /** Waits until {@code count} shadow copies of the model's forecasts completed. */
    private void awaitShadows(String model, int count) throws Exception {
        String line = "seqserve_forecast_shadow_requests_total{application=\"seqserve\",model=\"" + model
                + "\",outcome=\"completed\"} " + (double) count;
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!get("/actuator/prometheus").body().contains(line)) {
            assertThat(System.nanoTime())
                    .as("shadow copies done in time: " + line)
                    .isLessThan(until);
            Thread.sleep(100);
        }
    }

    private static Map<String, Long> versions(JsonNode forecast) {
        Map<String, Long> out = new HashMap<>();
        long answered = forecast.path("version").asLong();
        for (JsonNode f : forecast.path("forecasts")) {
            out.put(
                    f.path("id").asString(),
                    f.path("version").isMissingNode()
                            ? answered
                            : f.path("version").asLong());
        }
        return out;
    }
}
