package io.seqserve.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.predict.HttpWarmUp;
import io.seqserve.testing.ServerTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Probes, metrics and API docs that deployments and dashboards rely on. */
class OperationsTest extends ServerTest {

    @Autowired
    HttpWarmUp warmUp;

    @Test
    void readinessFollowsAnHttpWarmUpOfRealPredictRequests() throws Exception {
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(warmUp.done()).isTrue();
        assertThat(warmUp.requestsSent())
                .as("requests the warm-up sent through this server's port before it was ready")
                .isPositive();
        assertThat(warmUp.requestsRefused())
                .as("warm-up requests not answered 200")
                .isZero();
    }

    @Test
    void probeGroupsAnswerOnTheActuatorAndTheMainPort() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").body()).contains("\"UP\"");
        assertThat(get("/livez").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void exportsServingMetricsWithPrometheusNames() throws Exception {
        assertThat(post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0]}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/models/half_plus_two:predict", "{\"instances\": [\"x\"]}")
                        .statusCode())
                .isEqualTo(400);
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains(
                        "seqserve_requests_total{api=\"tfserving\",application=\"seqserve\",model=\"half_plus_two\",outcome=\"success\",version=\"123\"}",
                        "seqserve_requests_total{api=\"tfserving\",application=\"seqserve\",model=\"half_plus_two\",outcome=\"invalid\",version=\"123\"}",
                        "seqserve_request_duration_seconds_bucket{api=\"tfserving\",application=\"seqserve\",model=\"half_plus_two\",outcome=\"success\",le=",
                        "seqserve_queue_depth{application=\"seqserve\",device=\"cpu()\",model=\"half_plus_two\",version=\"123\"}",
                        "seqserve_workers_busy{",
                        "seqserve_batch_size_bucket{",
                        "seqserve_queue_wait_seconds_bucket{",
                        "seqserve_inference_duration_seconds_bucket{",
                        "seqserve_inflight_requests{application=\"seqserve\"}",
                        "seqserve_model_versions{application=\"seqserve\",state=\"failed\"}",
                        "seqserve_model_versions{application=\"seqserve\",state=\"available\"}",
                        "seqserve_model_load_duration_seconds_count{application=\"seqserve\",model=\"corrupt\",outcome=\"failed\"}",
                        "seqserve_requests_rejected_total{");
    }

    @Test
    void aModelNameNoModelHasNeverBecomesATagValue() throws Exception {
        for (String api : new String[] {"/v1/models/made-up-name-1:predict", "/v1/models/made-up-name-2:forecast"}) {
            assertThat(post(
                                    api,
                                    api.endsWith("predict")
                                            ? "{\"instances\": [1.0]}"
                                            : "{\"series\": [{\"values\": [1]}], \"horizon\": 1}")
                            .statusCode())
                    .isEqualTo(404);
        }
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics)
                .doesNotContain("made-up-name")
                .contains(
                        "seqserve_requests_total{api=\"tfserving\",application=\"seqserve\",model=\"unknown\",outcome=\"not_found\",version=\"none\"}");
    }

    /**
     * Issue 13 item 2: 5,000 requests for {@code card-$i} grew the scrape from 1.2 MB to 63 MB. Requests for
     * 1,000 distinct unknown names over every model API add no series at all once the first of each kind
     * has been counted under {@code model="unknown"}.
     */
    @Test
    void requestsForAThousandUnknownNamesAddNoSeries() throws Exception {
        String[][] apis = {
            {"/v1/models/%s:predict", "{\"instances\": [1.0]}"},
            {"/v1/models/%s/versions/1:predict", "{\"instances\": [1.0]}"},
            {"/v1/models/%s/labels/production:predict", "{\"instances\": [1.0]}"},
            {
                "/v2/models/%s/infer",
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}"
            },
            {"/v1/models/%s:forecast", "{\"series\": [{\"values\": [1, 2]}], \"horizon\": 1}"},
            {"/v1/models/%s:backtest", "{\"series\": [{\"values\": [1, 2]}], \"horizon\": 1}"},
            {"/v1/models/%s:generate", "{\"prompt\": \"a\"}"},
            {"/v1/completions", "{\"model\": \"%s\", \"prompt\": \"a\"}"}
        };
        for (String[] api : apis) {
            call(api, "card-warm-up");
        }
        List<String> before = series();
        for (int i = 0; i < 1000; i++) {
            assertThat(call(apis[i % apis.length], "card-" + i)).isEqualTo(404);
        }
        List<String> after = series();
        assertThat(after).as("series added by unknown names").hasSameSizeAs(before);
        assertThat(String.join("\n", after)).doesNotContain("card-");
    }

    private int call(String[] api, String name) throws Exception {
        String path = api[0].contains("%s") ? api[0].formatted(name) : api[0];
        return post(path, api[1].formatted(name)).statusCode();
    }

    /** The exported series, without the JVM's own (a new GC cause may appear at any time). */
    private List<String> series() throws Exception {
        return get("/actuator/prometheus")
                .body()
                .lines()
                .filter(line -> !line.startsWith("#") && !line.startsWith("jvm_"))
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .toList();
    }

    @Test
    void publishesOpenApiDocs() throws Exception {
        assertThat(get("/v3/api-docs").body()).contains("/v1/models/{name}:predict", "/v2/models/{name}/infer");
    }
}
