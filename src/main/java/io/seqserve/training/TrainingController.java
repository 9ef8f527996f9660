package io.seqserve.training;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** {@code /v1/training-jobs}: submit (202 + Location), get, list, cancel, and the SSE event stream. */
@RestController
class TrainingController {

    private final JobService jobs;
    private final TrainingProperties properties;

    TrainingController(JobService jobs, TrainingProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    @PostMapping(path = "/v1/training-jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> submit(@RequestBody JsonNode body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        JobService.Submission submission = jobs.submit(body, idempotencyKey);
        return ResponseEntity.accepted().location(URI.create("/v1/training-jobs/" + submission.job().id()))
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

    /** {@code progress} per epoch (history first), then one {@code status} event with the finished job. */
    @GetMapping(path = "/v1/training-jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable String id) {
        jobs.get(id);
        SseEmitter emitter = new SseEmitter(properties.eventsTimeout().toMillis());
        Job.Listener listener = new Job.Listener() {
            @Override
            public void progress(JobView.Progress progress) {
                send(emitter, "progress", progress);
            }

            @Override
            public void status(JobView job) {
                send(emitter, "status", job);
                emitter.complete();
            }
        };
        emitter.onTimeout(() -> jobs.unsubscribe(id, listener));
        emitter.onError(e -> jobs.unsubscribe(id, listener));
        jobs.subscribe(id, listener);
        return emitter;
    }

    private static void send(SseEmitter emitter, String name, Object data) {
        try {
            emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
