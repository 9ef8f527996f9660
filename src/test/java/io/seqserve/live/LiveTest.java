package io.seqserve.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import io.seqserve.testing.StatefulModels;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Base of the live-session HTTP tests: helpers to publish models, open sessions and feed them. */
abstract class LiveTest extends ServerTest {

    /** Waits until version {@code version} of {@code name} is in {@code state}. */
    void awaitState(String name, long version, String state) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            HttpResponse<String> r = get("/v1/models/" + name + "/versions/" + version);
            if (r.statusCode() == 200 && json(r).get("state").asString().equals(state)) {
                return;
            }
            assertThat(r.statusCode() == 200
                            && !state.equals("failed")
                            && json(r).get("state").asString().equals("failed"))
                    .as("%s/%d failed to load: %s", name, version, r.body())
                    .isFalse();
            assertThat(System.nanoTime())
                    .as("%s/%d %s in time: %s", name, version, state, r.body())
                    .isLessThan(until);
            Thread.sleep(100);
        }
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    /** Opens a session on {@code ref}; asserts 201 with its Location and returns the answer. */
    JsonNode open(String ref, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post("/v1/models/" + ref + "/sessions", JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode session = json(r);
        assertThat(r.headers().firstValue("Location"))
                .hasValue("/v1/sessions/" + session.get("id").asString());
        return session;
    }

    HttpResponse<String> observe(String id, Object observations) throws Exception {
        return post("/v1/sessions/" + id + ":observe", JSON.writeValueAsString(Map.of("observations", observations)));
    }

    JsonNode observed(String id, Object observations) throws Exception {
        HttpResponse<String> r = observe(id, observations);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    /** {@code :forecast} of one series, its mean. */
    double[] forecast(String ref, double[] history, int horizon) throws Exception {
        HttpResponse<String> r = post(
                "/v1/models/" + ref + ":forecast",
                JSON.writeValueAsString(
                        body("series", java.util.List.of(body("id", "s", "values", history)), "horizon", horizon)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return doubles(json(r).at("/forecasts/0/mean"));
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static double[] sunspots() {
        return StatefulModels.sunspots();
    }

    /** The value of a Prometheus sample whose line has these labels, summed over matching lines (0 when absent). */
    double metric(String name, String labels) throws Exception {
        double total = 0;
        for (String line : get("/actuator/prometheus").body().split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labels)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
