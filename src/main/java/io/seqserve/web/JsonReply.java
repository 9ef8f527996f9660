package io.seqserve.web;

import io.seqserve.Failure;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One JSON body sent when asynchronous work ends, or its failure as a problem: the response of a
 * non-streaming request that runs longer than a servlet thread should wait (a whole generation).
 */
public final class JsonReply {

    private final ResponseBodyEmitter emitter;

    public JsonReply(long timeoutMillis) {
        this.emitter = new ResponseBodyEmitter(timeoutMillis);
    }

    /** Runs {@code gone} when the response times out or its connection fails before the body is sent. */
    public void onGone(Runnable gone) {
        emitter.onTimeout(gone);
        emitter.onError(e -> gone.run());
    }

    public void send(Object body) {
        try {
            emitter.send(body, MediaType.APPLICATION_JSON);
            emitter.complete();
        } catch (IOException | IllegalStateException e) {
            // the client left; nothing to tell it
        }
    }

    /** Nothing was written yet, so Spring dispatches the failure to the problem+json handler. */
    public void fail(Failure failure) {
        emitter.completeWithError(failure);
    }

    public ResponseEntity<ResponseBodyEmitter> response() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }
}
