package io.seqserve.training;

import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
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

    @PostMapping(path = "/v1/training-jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> submit(
            @RequestBody @Valid TrainingRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        JobService.Submission submission = jobs.submit(body, idempotencyKey);
        return ResponseEntity.accepted()
                .location(URI.create("/v1/training-jobs/" + submission.job().id()))
                .body(submission.job());
    }

    @GetMapping("/v1/training-jobs")
    Map<String, List<JobView>> list(@RequestParam(required = false) String status) {
        return Map.of("jobs", jobs.list(status));
    }

    @GetMapping("/v1/training-jobs/{id}")
    JobView get(@PathVariable String id) {
        return jobs.get(id);
    }

    @PostMapping("/v1/training-jobs/{id}:cancel")
    JobView cancel(@PathVariable String id) {
        return jobs.cancel(id);
    }

    /** {@code trial} per scored search trial, {@code progress} per epoch (those so far first), then one {@code status}. */
    @GetMapping(path = "/v1/training-jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<ResponseBodyEmitter> events(@PathVariable String id) {
        return events.open(id).response();
    }
}
