package io.seqserve.predict;

import io.seqserve.inference.Inference;
import io.seqserve.registry.ModelRef;
import io.seqserve.registry.ModelRegistry;
import io.seqserve.registry.ModelState;
import io.seqserve.registry.ModelVersion;
import io.seqserve.web.AsyncAnswers;
import io.seqserve.web.HotPath;
import io.seqserve.web.ProblemResponses;
import io.seqserve.web.RequestTimeout;
import io.seqserve.web.TimeoutHeader;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.util.List;
import java.util.function.Function;
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
 * signature by {@code prepare}; queued) -> worker's forward pass -> {@link AsyncAnswers} builds the answer
 * of output views and writes it on a container thread. No servlet thread waits while a request is queued.
 * Its POST mappings are looked up first ({@link HotPath}).
 */
@RestController
@HotPath
class PredictController {

    private static final String TIMEOUT = RequestTimeout.HEADER;
    private static final String TF_SERVING = "tfserving";
    private static final String V2 = "v2";

    /** Answers are built from output views on the container thread that writes them, never on a worker. */
    private static final Function<Inference.Outcome<TfServingFormat.Call>, TfServingFormat.Response> TF_SERVING_ANSWER =
            done -> TfServingFormat.answer(
                    done.call(), done.version().signature().outputs(), done.outputs());

    private static final Function<Inference.Outcome<V2Format.Call>, V2Format.Response> V2_ANSWER =
            done -> V2Format.answer(done.version(), done.call(), done.outputs());

    private final Inference inference;
    private final AsyncAnswers answers;
    private final ModelRegistry registry;
    private final String version;

    /** The version comes from the build ({@code META-INF/build-info.properties}); "unknown" when run unpackaged. */
    PredictController(
            Inference inference, AsyncAnswers answers, ModelRegistry registry, ObjectProvider<BuildProperties> build) {
        this.inference = inference;
        this.answers = answers;
        this.registry = registry;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "unknown" : properties.getVersion();
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @ApiResponse(
            responseCode = "200",
            description = "the outputs",
            content = @Content(schema = @Schema(implementation = TfServingFormat.Response.class)))
    @PostMapping(path = "/v1/models/{name}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    void predict(
            @PathVariable String name,
            @RequestBody TfServingFormat.Request body,
            @TimeoutHeader @RequestHeader(name = TIMEOUT, required = false) Long timeoutMs,
            HttpServletRequest request,
            HttpServletResponse response) {
        answers.send(
                request,
                response,
                inference.call(ModelRef.of(name), TF_SERVING, RequestTimeout.checked(timeoutMs), tfServing(body)),
                TF_SERVING_ANSWER);
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @ApiResponse(
            responseCode = "200",
            description = "the outputs",
            content = @Content(schema = @Schema(implementation = TfServingFormat.Response.class)))
    @PostMapping(path = "/v1/models/{name}/versions/{version}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    void predictVersion(
            @PathVariable String name,
            @PathVariable String version,
            @RequestBody TfServingFormat.Request body,
            @TimeoutHeader @RequestHeader(name = TIMEOUT, required = false) Long timeoutMs,
            HttpServletRequest request,
            HttpServletResponse response) {
        answers.send(
                request,
                response,
                inference.call(
                        ModelRef.ofVersion(name, version),
                        TF_SERVING,
                        RequestTimeout.checked(timeoutMs),
                        tfServing(body)),
                TF_SERVING_ANSWER);
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @ApiResponse(
            responseCode = "200",
            description = "the outputs",
            content = @Content(schema = @Schema(implementation = TfServingFormat.Response.class)))
    @PostMapping(path = "/v1/models/{name}/labels/{label}:predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    void predictLabel(
            @PathVariable String name,
            @PathVariable String label,
            @RequestBody TfServingFormat.Request body,
            @TimeoutHeader @RequestHeader(name = TIMEOUT, required = false) Long timeoutMs,
            HttpServletRequest request,
            HttpServletResponse response) {
        answers.send(
                request,
                response,
                inference.call(
                        ModelRef.ofLabel(name, label), TF_SERVING, RequestTimeout.checked(timeoutMs), tfServing(body)),
                TF_SERVING_ANSWER);
    }

    /** Checks and converts a TF Serving body for the leased version (runs inside {@link Inference#call}). */
    private static Function<ModelVersion, TfServingFormat.Call> tfServing(TfServingFormat.Request body) {
        return version -> TfServingFormat.prepare(body, version.signature(), version.signatureName());
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @ApiResponse(
            responseCode = "200",
            description = "the outputs",
            content = @Content(schema = @Schema(implementation = V2Format.Response.class)))
    @PostMapping(
            path = {"/v2/models/{name}/infer"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    void infer(
            @PathVariable String name,
            @Valid @RequestBody V2Format.Request body,
            @TimeoutHeader @RequestHeader(name = TIMEOUT, required = false) Long timeoutMs,
            HttpServletRequest request,
            HttpServletResponse response) {
        answers.send(
                request,
                response,
                inference.call(ModelRef.of(name), V2, RequestTimeout.checked(timeoutMs), v2(body)),
                V2_ANSWER);
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @ApiResponse(
            responseCode = "200",
            description = "the outputs",
            content = @Content(schema = @Schema(implementation = V2Format.Response.class)))
    @PostMapping(
            path = {"/v2/models/{name}/versions/{version}/infer"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    void inferVersion(
            @PathVariable String name,
            @PathVariable String version,
            @Valid @RequestBody V2Format.Request body,
            @TimeoutHeader @RequestHeader(name = TIMEOUT, required = false) Long timeoutMs,
            HttpServletRequest request,
            HttpServletResponse response) {
        answers.send(
                request,
                response,
                inference.call(ModelRef.ofVersion(name, version), V2, RequestTimeout.checked(timeoutMs), v2(body)),
                V2_ANSWER);
    }

    private static Function<ModelVersion, V2Format.Call> v2(V2Format.Request body) {
        return version -> V2Format.prepare(body, version.signature());
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
