package io.seqserve.predict;

import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelService;
import io.seqserve.registry.ModelState;
import io.seqserve.registry.ModelVersion;
import io.seqserve.registry.RequestTimeout;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Generic tensor prediction: TF Serving's REST {@code :predict} and the Open Inference Protocol V2.
 * Requests are answered asynchronously, so no servlet thread waits while a request is queued.
 */
@RestController
class PredictController {

    static final String TIMEOUT_HEADER = RequestTimeout.HEADER;

    private final ModelService models;
    private final ModelRegistry registry;

    PredictController(ModelService models, ModelRegistry registry) {
        this.models = models;
        this.registry = registry;
    }

    @PostMapping(path = "/v1/models/{name}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<JsonNode> predict(@PathVariable String name, @RequestBody JsonNode body,
            @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return tfServing(ModelRef.of(name), body, timeoutMs);
    }

    @PostMapping(path = "/v1/models/{name}/versions/{version}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<JsonNode> predictVersion(@PathVariable String name, @PathVariable String version,
            @RequestBody JsonNode body, @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return tfServing(ModelRef.ofVersion(name, version), body, timeoutMs);
    }

    @PostMapping(path = "/v1/models/{name}/labels/{label}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<JsonNode> predictLabel(@PathVariable String name, @PathVariable String label,
            @RequestBody JsonNode body, @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return tfServing(ModelRef.ofLabel(name, label), body, timeoutMs);
    }

    private CompletableFuture<JsonNode> tfServing(ModelRef ref, JsonNode body, Long timeoutMs) {
        TfServingFormat.Request[] parsed = new TfServingFormat.Request[1];
        return models.run(ref, "tfserving", RequestTimeout.parse(timeoutMs), version -> {
            parsed[0] = TfServingFormat.parse(body, version.signature(), version.signatureName());
            return parsed[0].inputs();
        }).thenApply(r -> TfServingFormat.format(parsed[0], r.version().signature().outputs(), r.outputs()));
    }

    @PostMapping(path = {"/v2/models/{name}/infer"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<JsonNode> infer(@PathVariable String name, @RequestBody JsonNode body,
            @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return v2(ModelRef.of(name), body, timeoutMs);
    }

    @PostMapping(path = {"/v2/models/{name}/versions/{version}/infer"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<JsonNode> inferVersion(@PathVariable String name, @PathVariable String version,
            @RequestBody JsonNode body, @RequestHeader(name = TIMEOUT_HEADER, required = false) Long timeoutMs) {
        return v2(ModelRef.ofVersion(name, version), body, timeoutMs);
    }

    private CompletableFuture<JsonNode> v2(ModelRef ref, JsonNode body, Long timeoutMs) {
        V2Format.Request[] parsed = new V2Format.Request[1];
        return models.run(ref, "v2", RequestTimeout.parse(timeoutMs), version -> {
            parsed[0] = V2Format.parse(body, version.signature());
            return parsed[0].inputs();
        }).thenApply(r -> V2Format.format(r.version(), parsed[0], r.outputs()));
    }

    @GetMapping("/v2/models/{name}")
    JsonNode metadata(@PathVariable String name) {
        return metadataOf(registry.resolve(name, null, null));
    }

    @GetMapping("/v2/models/{name}/versions/{version}")
    JsonNode metadataVersion(@PathVariable String name, @PathVariable String version) {
        return metadataOf(registry.resolve(name, ModelRef.parseVersion(version), null));
    }

    private JsonNode metadataOf(ModelVersion version) {
        List<Long> versions = registry.versions(version.name()).stream().map(ModelVersion::version).toList();
        return V2Format.metadata(version, versions);
    }

    @GetMapping("/v2/models/{name}/ready")
    ResponseEntity<Map<String, Object>> modelReady(@PathVariable String name) {
        return readiness(registry.resolve(name, null, null));
    }

    @GetMapping("/v2/models/{name}/versions/{version}/ready")
    ResponseEntity<Map<String, Object>> versionReady(@PathVariable String name, @PathVariable String version) {
        return readiness(registry.resolve(name, ModelRef.parseVersion(version), null));
    }

    private static ResponseEntity<Map<String, Object>> readiness(ModelVersion v) {
        boolean ready = v.state() == ModelState.AVAILABLE;
        return ResponseEntity.status(ready ? 200 : 503)
                .body(Map.of("name", v.name(), "version", String.valueOf(v.version()), "ready", ready));
    }

    @GetMapping("/v2/health/live")
    Map<String, Object> live() {
        return Map.of("live", true);
    }

    @GetMapping("/v2/health/ready")
    ResponseEntity<Map<String, Object>> ready() {
        boolean ready = registry.ready();
        return ResponseEntity.status(ready ? 200 : 503).body(Map.of("ready", ready));
    }

    @GetMapping("/v2")
    Map<String, Object> server() {
        return Map.of("name", "seqserve", "version", "0.1.0", "extensions", List.of());
    }
}
