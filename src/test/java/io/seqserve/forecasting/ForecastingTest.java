package io.seqserve.forecasting;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.ServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/** Base of the forecasting HTTP tests: the {@code fc-} models published and available, request helpers. */
abstract class ForecastingTest extends ServerTest {

    @BeforeEach
    void modelsAvailable() throws Exception {
        ForecastTestModels.publish();
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (String name : ForecastTestModels.NAMES) {
            while (true) {
                HttpResponse<String> r = get("/v1/models/" + name);
                String state = r.statusCode() == 200 ? json(r).get("state").asString() : "";
                if (state.equals("available") || state.equals("failed") && ForecastTestModels.UNUSABLE.contains(name)) {
                    break;
                }
                assertThat(System.nanoTime())
                        .as("%s available in time (last: %s)", name, r.body())
                        .isLessThan(until);
                Thread.sleep(100);
            }
        }
    }

    /** POSTs {@code body} (a map turned into JSON) to {@code /v1/models/<ref>:<operation>}. */
    HttpResponse<String> call(String ref, String operation, Map<String, Object> body) throws Exception {
        return post("/v1/models/" + ref + ":" + operation, JSON.writeValueAsString(body));
    }

    /** A 200 answer as JSON. */
    static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static Map<String, Object> series(String id, Object values) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("values", values);
        return s;
    }

    static Map<String, Object> body(List<Map<String, Object>> series, Object... more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("series", series);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static double[] slice(double[] values, int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }

    /** The value of a Prometheus sample with exactly these labels (0 when absent). */
    double metric(String name, String labels) throws Exception {
        for (String line : get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labels)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
