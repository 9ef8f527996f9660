package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Live sessions live on the serving pod that created them, so the manifests route each client to one pod: the
 * in-cluster Service with ClientIP affinity, the optional ingress-nginx Ingress with a persistent cookie, both
 * longer than the sessions' idle TTL and both reaching the serving pods' HTTP port.
 */
@Tag("unit")
class SessionRoutingTest {

    @Test
    void theSessionsServiceKeepsEachClientOnOneServingPod() throws Exception {
        for (Path overlay : DeployFiles.OVERLAYS) {
            List<ObjectNode> objects = Kustomize.render(overlay);
            JsonNode service = objects.stream()
                    .filter(o -> o.path("kind").asString().equals("Service")
                            && o.at("/metadata/name").asString().equals("seqserve-sessions"))
                    .findFirst()
                    .orElseThrow();
            JsonNode config = objects.stream()
                    .filter(o -> o.path("kind").asString().equals("ConfigMap"))
                    .findFirst()
                    .orElseThrow()
                    .path("data");
            long ttl = DurationStyle.detectAndParse(
                            config.path("SEQSERVE_SESSIONS_IDLETTL").asString())
                    .toSeconds();
            assertThat(service.at("/spec/sessionAffinity").asString()).isEqualTo("ClientIP");
            assertThat(service.at("/spec/sessionAffinityConfig/clientIP/timeoutSeconds")
                            .asLong())
                    .as("routes outlive idle sessions")
                    .isGreaterThan(ttl);
            assertThat(service.at("/spec/selector/app.kubernetes.io~1component").asString())
                    .isEqualTo("serving");
        }
    }

    @Test
    void theIngressPinsClientsWithAPersistentCookieToTheServingService() throws Exception {
        JsonNode ingress = Kustomize.readAll(DeployFiles.K8S.resolve("session-routing/ingress-nginx.yaml"))
                .get(0);
        JsonNode annotations = ingress.at("/metadata/annotations");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/affinity").asString())
                .isEqualTo("cookie");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/affinity-mode").asString())
                .isEqualTo("persistent");
        assertThat(annotations
                        .path("nginx.ingress.kubernetes.io/session-cookie-max-age")
                        .asLong())
                .isGreaterThan(3600);
        JsonNode backend = ingress.at("/spec/rules/0/http/paths/0/backend/service");
        assertThat(backend.path("name").asString()).isEqualTo("seqserve");
        assertThat(backend.at("/port/name").asString()).isEqualTo("http");
    }
}
