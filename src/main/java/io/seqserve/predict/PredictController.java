package io.seqserve.predict;

import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelState;
import io.seqserve.registry.ModelVersion;
import io.seqserve.web.ProblemResponses;
import io.seqserve.web.RequestTimeout;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Generic tensor prediction: TF Serving's REST {@code :predict} and the Open Inference Protocol V2.
 * A request goes: bound body (here) -> {@link Inference#call} (lease; checked against the version's
 * signature by {@code prepare}; queued) -> worker's forward pass -> an answer of output views, written to
 * the response on a servlet thread. No servlet thread waits while a request is queued.
 */
@RestController
class PredictController {

    private static final String TIMEOUT = RequestTimeout.HEADER;

    private final Inference inference;
    private final ModelRegistry registry;
    private final String version;

    /** The version comes from the build ({@code META-INF/build-info.properties}); "unknown" when run unpackaged. */
    PredictController(Inference inference, ModelRegistry registry, ObjectProvider<BuildProperties> build) {
        this.inference = inference;
        this.registry = registry;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "unknown" : properties.getVersion();
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/models/{name}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<TfServingFormat.Response> predict(
            @PathVariable String name,
            @RequestBody TfServingFormat.Request body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return tfServing(ModelRef.of(name), body, timeoutMs);
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/models/{name}/versions/{version}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<TfServingFormat.Response> predictVersion(
            @PathVariable String name,
            @PathVariable String version,
            @RequestBody TfServingFormat.Request body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return tfServing(ModelRef.ofVersion(name, version), body, timeoutMs);
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/models/{name}/labels/{label}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<TfServingFormat.Response> predictLabel(
            @PathVariable String name,
            @PathVariable String label,
            @RequestBody TfServingFormat.Request body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return tfServing(ModelRef.ofLabel(name, label), body, timeoutMs);
    }

    private CompletableFuture<TfServingFormat.Response> tfServing(
            ModelRef ref, TfServingFormat.Request body, Long timeoutMs) {
        return inference
                .call(
                        ref,
                        "tfserving",
                        RequestTimeout.of(timeoutMs),
                        version -> TfServingFormat.prepare(body, version.signature(), version.signatureName()))
                .thenApply(done -> TfServingFormat.answer(
                        done.call(), done.version().signature().outputs(), done.outputs()));
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(
            path = {"/v2/models/{name}/infer"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<V2Format.Response> infer(
            @PathVariable String name,
            @Valid @RequestBody V2Format.Request body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return v2(ModelRef.of(name), body, timeoutMs);
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(
            path = {"/v2/models/{name}/versions/{version}/infer"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<V2Format.Response> inferVersion(
            @PathVariable String name,
            @PathVariable String version,
            @Valid @RequestBody V2Format.Request body,
            @RequestHeader(name = TIMEOUT, required = false) @Min(RequestTimeout.MIN_MS) @Max(RequestTimeout.MAX_MS)
                    Long timeoutMs) {
        return v2(ModelRef.ofVersion(name, version), body, timeoutMs);
    }

    private CompletableFuture<V2Format.Response> v2(ModelRef ref, V2Format.Request body, Long timeoutMs) {
        return inference
                .call(ref, "v2", RequestTimeout.of(timeoutMs), version -> V2Format.prepare(body, version.signature()))
                .thenApply(done -> V2Format.answer(done.version(), done.call(), done.outputs()));
    }

    @ProblemResponses({404})
    @GetMapping("/v2/models/{name}")
    V2Format.Metadata metadata(@PathVariable String name) {
        return metadataOf(registry.resolve(name, null, null));
    }

    @ProblemResponses({400, 404})
    @GetMapping("/v2/models/{name}/versions/{version}")
    V2Format.Metadata metadataVersion(@PathVariable String name, @PathVariable String version) {
        return metadataOf(registry.resolve(name, ModelRef.parseVersion(version), null));
    }

    private V2Format.Metadata metadataOf(ModelVersion version) {
        List<Long> versions = registry.versions(version.name()).stream()
                .map(ModelVersion::version)
                .toList();
        return V2Format.metadata(version, versions);
    }

    /** Open Inference Protocol health and metadata answers. */
    record ModelReadiness(String name, String version, boolean ready) {}

    record Liveness(boolean live) {}

    record Readiness(boolean ready) {}

    record ServerMetadata(String name, String version, List<String> extensions) {}

    @ProblemResponses({404})
    @ApiResponse(
            responseCode = "503",
            description = "the version is not available (loading, unloaded or failed)",
            content = @Content(schema = @Schema(implementation = ModelReadiness.class)))
    @GetMapping("/v2/models/{name}/ready")
    ResponseEntity<ModelReadiness> modelReady(@PathVariable String name) {
        return readiness(registry.resolve(name, null, null));
    }

    @ProblemResponses({400, 404})
    @ApiResponse(
            responseCode = "503",
            description = "the version is not available (loading, unloaded or failed)",
            content = @Content(schema = @Schema(implementation = ModelReadiness.class)))
    @GetMapping("/v2/models/{name}/versions/{version}/ready")
    ResponseEntity<ModelReadiness> versionReady(@PathVariable String name, @PathVariable String version) {
        return readiness(registry.resolve(name, ModelRef.parseVersion(version), null));
    }

    private static ResponseEntity<ModelReadiness> readiness(ModelVersion v) {
        boolean ready = v.state() == ModelState.AVAILABLE;
        return ResponseEntity.status(ready ? 200 : 503)
                .body(new ModelReadiness(v.name(), String.valueOf(v.version()), ready));
    }

    @GetMapping("/v2/health/live")
    Liveness live() {
        return new Liveness(true);
    }

    @ApiResponse(
            responseCode = "503",
            description = "not ready: the models present at start have not all loaded (or a required one failed)",
            content = @Content(schema = @Schema(implementation = Readiness.class)))
    @GetMapping("/v2/health/ready")
    ResponseEntity<Readiness> ready() {
        boolean ready = registry.ready();
        return ResponseEntity.status(ready ? 200 : 503).body(new Readiness(ready));
    }

    @GetMapping("/v2")
    ServerMetadata server() {
        return new ServerMetadata("seqserve", version, List.of());
    }
}
