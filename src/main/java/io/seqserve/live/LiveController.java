package io.seqserve.live;

import io.seqserve.registry.ModelRef;
import io.seqserve.web.ProblemResponses;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live sessions over HTTP: open one on a model ({@code POST /v1/models/{ref}/sessions}), read it, feed it
 * observations, fork it, end it. Answers that run forward passes are asynchronous.
 */
@RestController
class LiveController {

    private static final String REFS = "/v1/models/{name}";
    private static final String VERSION = "/v1/models/{name}/versions/{version}";
    private static final String LABEL = "/v1/models/{name}/labels/{label}";

    private final LiveSessions sessions;

    LiveController(LiveSessions sessions) {
        this.sessions = sessions;
    }

    @ProblemResponses({400, 404, 410, 413, 422, 429, 500, 503})
    @PostMapping(
            path = {REFS + "/sessions", VERSION + "/sessions", LABEL + "/sessions"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<SessionView>> create(
            @PathVariable String name,
            @PathVariable(required = false) String version,
            @PathVariable(required = false) String label,
            @Valid @RequestBody(required = false) SessionRequest body) {
        ModelRef ref = version != null
                ? ModelRef.ofVersion(name, version)
                : label != null ? ModelRef.ofLabel(name, label) : ModelRef.of(name);
        return sessions.create(ref, body == null ? SessionRequest.EMPTY : body).thenApply(LiveController::created);
    }

    @ProblemResponses({404, 410})
    @GetMapping("/v1/sessions/{id}")
    SessionView get(@PathVariable String id) {
        return sessions.view(id);
    }

    @ProblemResponses({404, 410})
    @DeleteMapping("/v1/sessions/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        sessions.delete(id);
        return ResponseEntity.noContent().build();
    }

    @ProblemResponses({400, 404, 409, 410, 413, 422, 429, 500, 503})
    @PostMapping(path = "/v1/sessions/{id}:observe", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<SessionView> observe(@PathVariable String id, @Valid @RequestBody ObserveRequest body) {
        return sessions.observe(id, body);
    }

    @ProblemResponses({404, 409, 410, 429})
    @PostMapping("/v1/sessions/{id}:fork")
    ResponseEntity<SessionView> fork(@PathVariable String id) {
        return created(sessions.fork(id));
    }

    private static ResponseEntity<SessionView> created(SessionView view) {
        return ResponseEntity.created(URI.create("/v1/sessions/" + view.id())).body(view);
    }
}
