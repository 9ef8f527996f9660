package io.seqserve.training;

import io.seqserve.Failure;
import io.seqserve.training.data.Dataset;
import io.seqserve.training.data.DatasetStore;
import io.seqserve.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code /v1/datasets}: CSV or text uploads, as the request body or a multipart {@code file}. */
@RestController
class DatasetController {

    private final DatasetStore store;

    DatasetController(DatasetStore store) {
        this.store = store;
    }

    /** The data sets, newest first. */
    record DatasetList(List<Dataset> datasets) {}

    @Operation(summary = "Upload a CSV or text data set as the request body (write)")
    @ResponseStatus(HttpStatus.CREATED)
    @ProblemResponses(
            value = {400, 413, 422, 503},
            write = true)
    @PostMapping(
            path = "/v1/datasets",
            consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<Dataset> uploadBody(
            InputStream body,
            @RequestHeader("Content-Type") String contentType,
            @Valid @ModelAttribute DatasetUpload upload) {
        String detected = MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.valueOf("text/csv"))
                ? Dataset.CSV
                : Dataset.TEXT;
        return created(store.create(upload.name(), upload.kindOr(detected), new ClientStream(body)));
    }

    @Operation(summary = "Upload a CSV or text data set as a multipart `file` (write)")
    @ResponseStatus(HttpStatus.CREATED)
    @ProblemResponses(
            value = {400, 413, 422, 503},
            write = true)
    @PostMapping(path = "/v1/datasets", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Dataset> uploadFile(
            @RequestParam("file") MultipartFile file, @Valid @ModelAttribute DatasetUpload upload) throws IOException {
        String filename = file.getOriginalFilename() == null
                ? ""
                : file.getOriginalFilename().toLowerCase();
        String type = file.getContentType() == null ? "" : file.getContentType();
        String detected = filename.endsWith(".csv") || type.startsWith("text/csv") ? Dataset.CSV : Dataset.TEXT;
        try (InputStream in = file.getInputStream()) {
            return created(store.create(upload.name(), upload.kindOr(detected), in));
        }
    }

    @GetMapping("/v1/datasets")
    DatasetList list() {
        return new DatasetList(store.list());
    }

    @ProblemResponses({404})
    @GetMapping("/v1/datasets/{id}")
    Dataset get(@PathVariable String id) {
        return store.get(id);
    }

    private static ResponseEntity<Dataset> created(Dataset dataset) {
        return ResponseEntity.created(URI.create("/v1/datasets/" + dataset.id()))
                .body(dataset);
    }

    /** The request body: a failure to read it (cut connection, over the size cap) is the client's, not a 500. */
    private static final class ClientStream extends java.io.FilterInputStream {
        ClientStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw Failure.badRequest("cannot read the upload: " + e.getMessage());
            }
        }
    }
}
