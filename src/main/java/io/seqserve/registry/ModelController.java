package io.seqserve.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
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
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The model registry over HTTP: list, inspect, register, label and delete versions. */
@RestController
class ModelController {

    private final ModelRegistry registry;
    private final ModelRegistration registration;

    ModelController(ModelRegistry registry, ModelRegistration registration) {
        this.registry = registry;
        this.registration = registration;
    }

    @GetMapping("/v1/models")
    ModelViews.ModelList list() {
        return new ModelViews.ModelList(registry.names().stream()
                .map(n -> ModelViews.summary(n, registry.versions(n), registry.labels(n)))
                .toList());
    }

    @GetMapping("/v1/models/{name}")
    ModelViews.VersionDetail get(@PathVariable String name) {
        return detail(registry.resolve(name, null, null));
    }

    @GetMapping("/v1/models/{name}/versions/{version}")
    ModelViews.VersionDetail getVersion(@PathVariable String name, @PathVariable String version) {
        return detail(registry.resolve(name, ModelRef.parseVersion(version), null));
    }

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

    @PostMapping(path = "/v1/models", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModelViews.VersionDetail> registerPath(@Valid @RequestBody PathRegistration body) {
        return created(registration.fromPath(body.name(), body.path()));
    }

    @PostMapping(path = "/v1/models", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ModelViews.VersionDetail> registerUpload(
            @RequestParam("name") String name,
            @RequestPart("file") MultipartFile file,
            @RequestParam(name = "manifest", required = false) String manifest) {
        ModelRegistration.Archive archive = file == null || file.isEmpty()
                ? null
                : new ModelRegistration.Archive(file.getOriginalFilename(), file.getSize(), file);
        return created(registration.fromArchive(name, archive, manifest));
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
