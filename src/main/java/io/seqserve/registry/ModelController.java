package io.seqserve.registry;

import io.seqserve.Failure;
import io.seqserve.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/** The model registry over HTTP: list, inspect, register, label and delete versions. */
@RestController
class ModelController {

    private final ModelRegistry registry;
    private final ModelRegistration registration;

    ModelController(ModelRegistry registry, ModelRegistration registration) {
        this.registry = registry;
        this.registration = registration;
    }

    @Operation(summary = "Every model: its versions, their states, and its labels")
    @GetMapping("/v1/models")
    ModelViews.ModelList list() {
        return new ModelViews.ModelList(registry.names().stream()
                .map(n -> ModelViews.summary(n, registry.versions(n), registry.labels(n)))
                .toList());
    }

    @Operation(summary = "The version a bare name serves (or would serve): signature, manifest, workers, error")
    @ProblemResponses({404})
    @GetMapping("/v1/models/{name}")
    ModelViews.VersionDetail get(@PathVariable String name) {
        return detail(registry.resolve(name, null, null));
    }

    @ProblemResponses({400, 404})
    @GetMapping("/v1/models/{name}/versions/{version}")
    ModelViews.VersionDetail getVersion(@PathVariable String name, @PathVariable String version) {
        return detail(registry.resolve(name, ModelRef.parseVersion(version), null));
    }

    @ProblemResponses({404})
    @GetMapping("/v1/models/{name}/labels/{label}")
    ModelViews.VersionDetail getLabel(@PathVariable String name, @PathVariable String label) {
        return detail(registry.resolve(name, null, label));
    }

    /** Body of a registration from a directory under the models root. */
    record PathRegistration(
            @NotNull(message = "is required: the model's name")
            String name,

            @NotNull(message = "is required: a directory under the models root")
            String path) {}

    @Operation(summary = "Register a directory under the models root as the next version of a name (write)")
    @ResponseStatus(HttpStatus.CREATED)
    @ProblemResponses(
            value = {400, 409, 413, 422, 503},
            write = true)
    @PostMapping(path = "/v1/models", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModelViews.VersionDetail> registerPath(@Valid @RequestBody PathRegistration body) {
        return created(registration.fromPath(body.name(), body.path()));
    }

    /** The largest manifest part; the demo manifests, residuals included, are under 30 KB. */
    static final int MAX_MANIFEST_BYTES = 1 << 20;

    /**
     * {@code manifest} is a text field ({@code --form-string manifest="$(cat seqserve.yaml)"}) or a file part
     * ({@code -F manifest=@seqserve.yaml}): people upload a manifest the way they upload the archive.
     */
    @Operation(
            summary = "Register an uploaded .zip / .tar.gz of one version directory, with an optional manifest (write)")
    @ResponseStatus(HttpStatus.CREATED)
    @ProblemResponses(
            value = {400, 409, 413, 422, 503},
            write = true)
    @PostMapping(path = "/v1/models", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ModelViews.VersionDetail> registerUpload(
            @RequestParam("name") String name,
            @RequestPart("file") MultipartFile file,
            @Parameter(hidden = true) MultipartHttpServletRequest request)
            throws IOException {
        ModelRegistration.Archive archive = file == null || file.isEmpty()
                ? null
                : new ModelRegistration.Archive(file.getOriginalFilename(), file.getSize(), file);
        return created(registration.fromArchive(name, archive, manifest(request)));
    }

    private static String manifest(MultipartHttpServletRequest request) throws IOException {
        MultipartFile part = request.getFile("manifest");
        if (part == null) {
            return request.getParameter("manifest");
        }
        if (part.getSize() > MAX_MANIFEST_BYTES) {
            throw Failure.tooLarge("the manifest exceeds " + MAX_MANIFEST_BYTES + " bytes");
        }
        return new String(part.getBytes(), StandardCharsets.UTF_8);
    }

    /** Body of a label assignment; {@code weight}: the canary's share of series, for the label {@code canary}. */
    record LabelAssignment(
            @NotNull(message = "is required: a positive version number")
            @Positive(message = "must be a positive version number")
            Long version,

            @DecimalMin(value = "0", message = "must be a share of series from 0 to 1")
            @DecimalMax(value = "1", message = "must be a share of series from 0 to 1")
            Double weight) {}

    /** Answers once the labelled version is loaded (or failed to load), without a servlet thread waiting for it. */
    @Operation(summary = "Point a label at a version; it loads and stays loaded (write)")
    @ProblemResponses(
            value = {400, 404, 409},
            write = true)
    @PutMapping(path = "/v1/models/{name}/labels/{label}", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ModelViews.VersionDetail> putLabel(
            @PathVariable String name, @PathVariable String label, @Valid @RequestBody LabelAssignment body) {
        return registry.setLabel(name, label, body.version(), body.weight()).thenApply(this::detail);
    }

    @DeleteMapping("/v1/models/{name}/labels/{label}")
    ResponseEntity<Void> deleteLabel(@PathVariable String name, @PathVariable String label) {
        registry.removeLabel(name, label);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Delete a version; its running requests finish first (write)")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @ProblemResponses(
            value = {400, 404, 409},
            write = true)
    @DeleteMapping("/v1/models/{name}/versions/{version}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String version) {
        registry.delete(name, ModelRef.parseVersion(version));
        return ResponseEntity.noContent().build();
    }

    private ModelViews.VersionDetail detail(ModelVersion v) {
        return ModelViews.detail(v, registry.labels(v.name()));
    }

    private ResponseEntity<ModelViews.VersionDetail> created(ModelVersion v) {
        return ResponseEntity.created(URI.create("/v1/models/" + v.name() + "/versions/" + v.version()))
                .body(detail(v));
    }
}
