package io.seqserve;

import java.util.List;

/**
 * A failure a client can act on, carried from any feature to the single HTTP mapping in {@code web}.
 * The status is an HTTP status code so that features need no web types; {@code errors} lists field
 * problems for validation failures.
 */
public class ApiException extends RuntimeException {

    /** One problem with one field of the request. */
    public record FieldError(String field, String message) {}

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, List.of(), null);
    }

    public ApiException(int status, String title, String detail, List<FieldError> errors, Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "Invalid request", field + ": " + message, List.of(new FieldError(field, message)), null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(422, "Unprocessable input", detail);
    }

    public static ApiException unprocessable(String field, String message) {
        return new ApiException(422, "Unprocessable input", field + ": " + message, List.of(new FieldError(field, message)), null);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "Service Unavailable", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
