package io.seqserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes without a cluster: every object of every rendered overlay is read as the API type its
 * {@code apiVersion} and {@code kind} name (fabric8's Java model of the Kubernetes API and of
 * prometheus-operator's ServiceMonitor and PrometheusRule) in strict mode, so a misspelt, misplaced or unknown field fails
 * here as {@code kubectl apply --validate=strict} would fail on a cluster. (fabric8's types keep unknown
 * fields in an "additional properties" map; the strict reader takes that map away.)
 */
class KubernetesSchemaTest {

    /** The API types this project deploys, by apiVersion/kind. */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule("strict").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(
                        DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }));

    @Test
    void everyRenderedObjectIsAKnownApiTypeWithOnlyFieldsThatTypeHas() throws IOException {
        for (Path overlay : DeployFiles.OVERLAYS) {
            List<ObjectNode> objects = Kustomize.render(overlay);
            assertThat(objects).as(overlay.toString()).hasSizeGreaterThanOrEqualTo(TYPES.size());
            for (ObjectNode object : objects) {
                HasMetadata typed = read(object);
                assertThat(typed.getMetadata().getName())
                        .as("%s %s", overlay, key(object))
                        .isNotBlank();
                // What the type understood, written back, must be what the file says: nothing dropped.
                // (Numbers compare as text: a quantity such as nvidia.com/gpu: 1 comes back as "1".)
                assertThat(scalarsAsText(STRICT.readTree(STRICT.writeValueAsString(typed))))
                        .as("%s %s round trip", overlay, key(object))
                        .isEqualTo(scalarsAsText(STRICT.readTree(object.toString())));
            }
        }
    }

    @Test
    void aMisspeltFieldFailsWithItsPath() throws IOException {
        ObjectNode deployment = deployment();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0/securityContext"))
                .put("readOnlyRootFileSystem", true);
        assertThatThrownBy(() -> read(deployment))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("readOnlyRootFileSystem")
                .hasMessageContaining("\"containers\"");
    }

    @Test
    void aFieldInTheWrongPlaceFails() throws IOException {
        ObjectNode deployment = deployment();
        // terminationGracePeriodSeconds belongs to the pod spec, not to the container.
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("terminationGracePeriodSeconds", 30);
        assertThatThrownBy(() -> read(deployment))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("terminationGracePeriodSeconds");
    }

    @Test
    void aValueOfTheWrongTypeFails() throws IOException {
        ObjectNode deployment = deployment();
        ((ObjectNode) deployment.at("/spec")).putObject("replicas").put("count", 2);
        assertThatThrownBy(() -> read(deployment)).hasMessageContaining("replicas");
    }

    @Test
    void anUnknownKindFails() throws IOException {
        ObjectNode deployment = deployment();
        deployment.put("apiVersion", "apps/v1beta1");
        assertThatThrownBy(() -> read(deployment))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("apps/v1beta1/Deployment");
    }

    private static HasMetadata read(ObjectNode object) throws IOException {
        Class<? extends HasMetadata> type = TYPES.get(key(object));
        if (type == null) {
            throw new AssertionError(
                    "no Kubernetes API type known here for " + key(object) + "; add it to TYPES if it is meant");
        }
        return STRICT.readValue(object.toString(), type);
    }

    private static ObjectNode deployment() throws IOException {
        return Kustomize.render(DeployFiles.OVERLAYS.get(0)).stream()
                .filter(o -> key(o).equals("apps/v1/Deployment"))
                .findFirst()
                .orElseThrow()
                .deepCopy();
    }

    private static JsonNode scalarsAsText(JsonNode node) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = STRICT.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), scalarsAsText(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = STRICT.createArrayNode();
            node.forEach(element -> copy.add(scalarsAsText(element)));
            return copy;
        }
        return node.isNumber() ? TextNode.valueOf(node.asText()) : node;
    }

    private static String key(ObjectNode object) {
        return object.path("apiVersion").asString() + "/" + object.path("kind").asString();
    }
}
