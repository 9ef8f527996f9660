package io.seqserve.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqserve.testing.OwnServerTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * Issue 13 item 4 on Kubernetes: with {@code KUBERNETES_SERVICE_HOST} and {@code _PORT} in the environment
 * Spring Boot detects the platform and turns on Tomcat's {@code RemoteIpValve}. Without a token no write is
 * accepted there, not even over loopback (a sidecar or {@code kubectl port-forward} arrives as loopback);
 * reads and model calls still are.
 */
@ContextConfiguration(initializers = WriteGuardKubernetesTest.KubernetesEnvironment.class)
class WriteGuardKubernetesTest extends OwnServerTest {

    /** The environment variables a pod gets, added to the real process environment. */
    static class KubernetesEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> variables = new HashMap<>(System.getenv());
            variables.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
            variables.put("KUBERNETES_SERVICE_PORT", "443");
            context.getEnvironment()
                    .getPropertySources()
                    .replace(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            new SystemEnvironmentPropertySource(
                                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        }
    }

    @Test
    void noWriteWithoutATokenEvenOverLoopback() throws Exception {
        for (String forwarded : new String[] {null, "127.0.0.1, 10.0.0.7"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/models/any/labels/production"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 1}"));
            if (forwarded != null) {
                request.header("X-Forwarded-For", forwarded);
            }
            HttpResponse<String> r = send(request);
            assertThat(assertProblem(r, 403).path("detail").asString()).contains("kubernetes", "token");
        }
    }

    @Test
    void readsAndModelCallsAreNotWrites() throws Exception {
        assertThat(get("/v1/models").statusCode()).isEqualTo(200);
        assertProblem(post("/v1/models/nothing-here:predict", "{\"instances\": [1.0]}"), 404, "not-found", null);
    }
}
