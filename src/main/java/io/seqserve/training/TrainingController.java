package io.seqserve.training;

import io.seqserve.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/** {@code /v1/training-jobs}: submit (202 + Location), get, list, cancel, and the SSE event stream. */
@RestController
class TrainingController {

    private final JobService jobs;
    private final JobEvents events;

    TrainingController(JobService jobs, JobEvents events) {
        this.jobs = jobs;
        this.events = events;
    }

    /** The jobs, newest first. */
    record JobList(List<JobView> jobs) {}

    @Operation(summary = "Start a training job (write); the result is a new model version that serves at once")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @ProblemResponses(
            value = {400, 409, 422, 429},
            write = true)
    @PostMapping(path = "/v1/training-jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> submit(
            @RequestBody @Valid TrainingRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        JobService.Submission submission = jobs.submit(body, idempotencyKey);
        return ResponseEntity.accepted()
                .location(URI.create("/v1/training-jobs/" + submission.job().id()))
                .body(submission.job());
    }

    @ProblemResponses({400})
    @GetMapping("/v1/training-jobs")
    JobList list(
            @Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(required = false)
                    String status) {
        return new JobList(jobs.list(status));
    }

    @ProblemResponses({404})
    @GetMapping("/v1/training-jobs/{id}")
    JobView get(@PathVariable String id) {
        return jobs.get(id);
    }

    @Operation(summary = "Cancel a job (write); it stops at its next batch")
    @ProblemResponses(
            value = {404, 409},
            write = true)
    @PostMapping("/v1/training-jobs/{id}:cancel")
    JobView cancel(@PathVariable String id) {
        return jobs.cancel(id);
    }

    /** {@code trial} per scored search trial, {@code progress} per epoch (those so far first), then one {@code status}. */
    @Operation(summary = "Follow a job: Server-Sent Events until it ends")
    @ApiResponse(
            responseCode = "200",
            description = "`event: trial` (data: a Trial) per scored search trial, `event: progress` (data: a Progress)"
                    + " per epoch, then one `event: status` (data: the ended JobView); `: keep-alive` comments between",
            content =
                    @Content(
                            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema = @Schema(oneOf = {JobView.Trial.class, JobView.Progress.class, JobView.class})))
    @ProblemResponses({404})
    @GetMapping(path = "/v1/training-jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<ResponseBodyEmitter> events(@PathVariable String id) {
        return events.open(id).response();
    }
}
