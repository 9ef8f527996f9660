package io.seqserve.web;

import io.seqserve.Failure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.CompletionException;

/**
 * The one place errors become HTTP: {@link Failure} by its kind ({@link Problems#status}); Spring MVC's own
 * exceptions (malformed JSON, 405, 415, unknown paths) are problem details by the base class; anything
 * else is a 500 with the cause logged, never shown.
 */
@RestControllerAdvice
class FailureHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

    @ExceptionHandler(Failure.class)
    ResponseEntity<ProblemDetail> failure(Failure e) {
        if (e.kind() == Failure.Kind.ENGINE || e.kind() == Failure.Kind.INTERNAL) {
            log.error("request failed: {}", e.getMessage(), e.getCause() == null ? e : e.getCause());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(Problems.status(e.kind()));
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        return response.body(Problems.of(e));
    }

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<ProblemDetail> completion(CompletionException e) {
        return e.getCause() instanceof Failure failure ? failure(failure) : unexpected(e.getCause() == null ? e : e.getCause());
    }

    /** A read-only or full volume is the deployment's condition, not the client's fault nor a bug. */
    @ExceptionHandler(UncheckedIOException.class)
    ResponseEntity<ProblemDetail> storage(UncheckedIOException e) {
        if (e.getCause() instanceof FileSystemException fs) {
            log.warn("storage refused a write: {}", fs.toString());
            return ResponseEntity.status(503).body(Problems.of(503, "Storage Unavailable",
                    e.getMessage() + ": " + (fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason())));
        }
        return unexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Throwable e) {
        log.error("unexpected error", e);
        return ResponseEntity.status(500).body(Problems.of(500, "Internal Server Error",
                "the server failed to handle this request; see its log"));
    }

    /** Spring's own problems leave {@code type} unset, which drops it from the JSON; API.md promises it. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType() == null) {
            problem.setType(Problems.BLANK);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    /** A bound body that breaks a Bean Validation constraint: 400 with every field at fault. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(400).body(Problems.of(BindingErrors.of(ex.getBindingResult())));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeFilter.TooLargeException tooLarge) {
                return ResponseEntity.status(413).body(Problems.of(413, "Payload Too Large", tooLarge.getMessage()));
            }
        }
        Failure binding = BindingErrors.of(ex);
        if (binding != null) {
            return ResponseEntity.status(400).body(Problems.of(binding));
        }
        String reason = ex.getMostSpecificCause().getMessage();
        int newline = reason == null ? -1 : reason.indexOf('\n');
        String detail = "malformed JSON body: " + (newline > 0 ? reason.substring(0, newline) : reason);
        return ResponseEntity.status(400).body(Problems.of(400, "Bad Request", detail));
    }
}
