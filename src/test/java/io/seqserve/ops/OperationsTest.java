package io.seqserve.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.predict.HttpWarmUp;
import io.seqserve.testing.ServerTest;
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

    @Test
    void publishesOpenApiDocs() throws Exception {
        assertThat(get("/v3/api-docs").body()).contains("/v1/models/{name}:predict", "/v2/models/{name}/infer");
    }
}
