package io.seqserve.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seqserve.testing.OwnServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Live-session forecasts are logged and scored like {@code :forecast}'s, over real HTTP with the known-answer
 * model (the next step is the last value, intervals +- 1.7 at 80 % and +- 2.0 at 95 %): each forecast a session
 * answers carries a forecast_id; actuals by that id, or by the session id as series and the session's value
 * number as step, score it under the session's version to the exact numbers, and the session id is no metric tag.
 */
class SessionAccuracyApiTest extends OwnServerTest {

    private static final String MODEL = "acc-session";

    private static boolean published;

    @BeforeEach
    void model() throws Exception {
        if (!published) {
            published = true;
            AccuracyModels.linear(modelsRoot(), MODEL, 1, 1.0f);
        }
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!get("/v1/models/" + MODEL).body().contains("\"state\":\"available\"")) {
            assertThat(System.nanoTime()).as(MODEL + " available in time").isLessThan(until);
            Thread.sleep(200);
        }
    }

    @Test
    void sessionForecastsAreScoredByForecastIdAndBySessionAndStep() throws Exception {
        // One value is not the model's window of 2: no forecast, so nothing to log and no forecast_id.
        JsonNode session = ok(post("/v1/models/" + MODEL + "/sessions", "{\"history\": [4], \"horizon\": 2}"), 201);
        String sid = session.path("id").asString();
        assertThat(session.has("forecast_id")).as(session.toString()).isFalse();

        // Values 4, 10 (session values 0 and 1): the forecast [10, 10] is of values 2 and 3.
        JsonNode first = observe(sid, "[10]");
        String firstId = first.path("forecast_id").asString();
        assertThat(firstId).startsWith("f_");
        assertThat(first.at("/forecast/mean/0").asDouble()).isEqualTo(10.0, within(1e-5));

        // Step 1: 11 (error 1, inside both intervals); step 2: 13 (error 3, outside both).
        JsonNode byId = actuals("{\"actuals\": [{\"forecast_id\": \"" + firstId + "\", \"values\": [11, 13]}]}");
        assertThat(byId.path("matched").asLong()).isEqualTo(2);
        assertThat(byId.path("scored").asLong()).isEqualTo(2);
        JsonNode window = target().path("window");
        assertThat(window.path("points").asLong()).isEqualTo(2);
        assertThat(window.path("mae").asDouble()).isEqualTo(2.0, within(1e-5));
        assertThat(window.path("rmse").asDouble()).isEqualTo(Math.sqrt(5), within(1e-5));
        assertThat(window.at("/coverage/80").asDouble()).isEqualTo(0.5);

        // Value 2 observed (11): a new forecast [11, 11] of values 3 and 4, under a new id, shown by GET too.
        JsonNode second = observe(sid, "[11]");
        String secondId = second.path("forecast_id").asString();
        assertThat(secondId).startsWith("f_").isNotEqualTo(firstId);
        assertThat(second.path("observations").asLong()).isEqualTo(3);
        assertThat(second.at("/forecast/mean/0").asDouble()).isEqualTo(11.0, within(1e-5));
        JsonNode read = json(get("/v1/sessions/" + sid));
        assertThat(read.path("forecast_id").asString()).isEqualTo(secondId);

        // By series (the session id) and step: value 3 = 12 is the first forecast's step 2 (scored already) and
        // the second's step 1 (error 1); value 4 = 15 the second's step 2 (error 4, outside both intervals).
        JsonNode bySeries = actuals("{\"actuals\": [{\"id\": \"" + sid + "\", \"step\": 3, \"values\": [12, 15]}]}");
        assertThat(bySeries.path("matched").asLong()).isEqualTo(2);
        assertThat(bySeries.path("scored").asLong()).isEqualTo(2);

        JsonNode target = target();
        window = target.path("window");
        assertThat(window.path("points").asLong()).isEqualTo(4);
        assertThat(window.path("mae").asDouble()).isEqualTo(9.0 / 4, within(1e-5));
        assertThat(window.path("rmse").asDouble()).isEqualTo(Math.sqrt(27.0 / 4), within(1e-5));
        // The naive forecast is each forecast's last observed value (10, then 11): the model's here, so MASE 1.
        assertThat(window.path("mase").asDouble()).isEqualTo(1.0, within(1e-9));
        assertThat(window.at("/coverage/80").asDouble()).isEqualTo(0.5);
        assertThat(window.at("/coverage/95").asDouble()).isEqualTo(0.5);
        assertThat(target.at("/steps/0/mae").asDouble()).isEqualTo(1.0, within(1e-5));
        assertThat(target.at("/steps/1/mae").asDouble()).isEqualTo(3.5, within(1e-5));

        // Sent again: every point was scored already.
        JsonNode again = actuals("{\"actuals\": [{\"id\": \"" + sid + "\", \"step\": 3, \"values\": [12, 15]}]}");
        assertThat(again.path("duplicate").asLong()).isEqualTo(2);
        assertThat(again.path("scored").asLong()).isZero();

        assertThat(get("/actuator/prometheus").body())
                .contains("seqserve_forecast_scored_points_total{application=\"seqserve\",model=\"" + MODEL
                        + "\",step=\"2\",target=\"value\",version=\"1\"} 2.0")
                .doesNotContain(sid);
    }

    @Test
    void aForkSharesItsForecastWithoutLoggingItTwice() throws Exception {
        JsonNode session = ok(post("/v1/models/" + MODEL + "/sessions", "{\"history\": [3, 5], \"horizon\": 1}"), 201);
        String sid = session.path("id").asString();
        String forecastId = session.path("forecast_id").asString();
        assertThat(forecastId)
                .as("a session opened with enough history answers a forecast")
                .startsWith("f_");
        JsonNode fork = ok(post("/v1/sessions/" + sid + ":fork", ""), 201);
        assertThat(fork.path("forecast_id").asString()).isEqualTo(forecastId);

        // Logged once, under the session that made it: the fork's id as series matches nothing.
        String forkId = fork.path("id").asString();
        JsonNode unmatched = actuals("{\"actuals\": [{\"id\": \"" + forkId + "\", \"step\": 2, \"values\": [6]}]}");
        assertThat(unmatched.path("unmatched").asLong()).isEqualTo(1);
        JsonNode matched = actuals("{\"actuals\": [{\"forecast_id\": \"" + forecastId + "\", \"values\": [6]}]}");
        assertThat(matched.path("matched").asLong()).isEqualTo(1);
        assertThat(matched.path("scored").asLong())
                .as("one logged forecast, one point")
                .isEqualTo(1);
    }

    private JsonNode observe(String session, String observations) throws Exception {
        return ok(post("/v1/sessions/" + session + ":observe", "{\"observations\": " + observations + "}"), 200);
    }

    private JsonNode actuals(String body) throws Exception {
        return ok(post("/v1/models/" + MODEL + ":actuals", body), 200);
    }

    private JsonNode target() throws Exception {
        JsonNode report = ok(get("/v1/models/" + MODEL + "/accuracy?window=1h"), 200);
        for (JsonNode v : report.path("versions")) {
            if (v.path("version").asLong() == 1) {
                return v.at("/targets/0");
            }
        }
        throw new AssertionError("no version 1 in " + report);
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response);
    }
}
