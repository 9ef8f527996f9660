package io.seqserve.web;

import io.seqserve.Failure;
import io.seqserve.Throwables;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * The one place errors become HTTP: {@link Failure} by its kind ({@link Problems#status}); a body that
 * cannot be bound or fails Bean Validation is an {@code INVALID} failure naming its fields
 * ({@link BindingErrors}); Spring MVC's own exceptions (405, 415, unknown paths) are problem details by the
 * base class; anything else is a 500 with the cause logged, never shown.
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
        Throwable cause = Throwables.unwrap(e);
        return cause instanceof Failure failure ? failure(failure) : unexpected(cause);
    }

    /** A read-only or full volume is the deployment's condition, not the client's fault nor a bug. */
    @ExceptionHandler(UncheckedIOException.class)
    ResponseEntity<ProblemDetail> storage(UncheckedIOException e) {
        if (e.getCause() instanceof FileSystemException fs) {
            log.warn("storage refused a write: {}", fs.toString());
            return failure(Failure.unavailable("storage unavailable: " + e.getMessage() + ": "
                    + (fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason())));
        }
        return unexpected(e);
    }

    /**
     * A body sent as multipart that cannot be parsed (no boundary, cut short, a boundary too long for the
     * parser) is the sender's mistake: 400 without a stack trace. Spring parses multipart before it looks
     * for a handler, so this answers for every POST and PUT, model calls included.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e) {
        Failure inside = failureIn(e);
        if (inside != null) {
            return failure(inside);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        log.debug("unreadable multipart body", e);
        return failure(Failure.badRequest("the multipart body cannot be read: " + Messages.clientSafe(root)));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Throwable e) {
        Failure inside = failureIn(e);
        if (inside != null) {
            return failure(inside);
        }
        log.error("unexpected error", e);
        return failure(Failure.internal("the server failed to handle this request; see its log"));
    }

    /** A failure anywhere in a cause chain (a body stream's limit, thrown through a parser that wrapped it). */
    static Failure failureIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Failure failure) {
                return failure;
            }
        }
        return null;
    }

    /** Spring's own problems leave {@code type} unset, which drops it from the JSON; API.md promises it. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType() == null) {
            problem.setType(Problems.BLANK);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Failure inside = failureIn(ex);
        if (inside != null) {
            return problem(inside);
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson) {
                return problem(BindingErrors.unreadable(jackson));
            }
        }
        // Spring's own message names the handler method; say what the client can act on.
        boolean missing = ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing");
        return problem(
                Failure.badRequest(missing ? "a JSON request body is required" : "the request body cannot be read"));
    }

    /** An upload over {@code spring.servlet.multipart.max-file-size} or {@code max-request-size}. */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(Failure.tooLarge("the upload exceeds the largest one allowed"
                + (ex.getMaxUploadSize() > 0 ? " (" + ex.getMaxUploadSize() + " bytes)" : "")));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(BindingErrors.invalid(ex.getBindingResult()));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(BindingErrors.invalid(ex));
    }

    /** A header, parameter or path variable that is not of its declared type ({@code Request-Timeout-Ms: soon}). */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        return problem(Failure.invalid(field, "must be " + BindingErrors.expected(ex.getRequiredType())));
    }

    private ResponseEntity<Object> problem(Failure failure) {
        return ResponseEntity.status(Problems.status(failure.kind())).body(Problems.of(failure));
    }
}
