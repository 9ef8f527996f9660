package io.seqserve.web;

import io.seqserve.Failure;
import io.seqserve.StrictJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem details, built the same way by the exception handler and by servlet filters, and the
 * one mapping from a {@link Failure.Kind} (and a {@link Failure.Code}) to an HTTP status, a title and a
 * problem type. A failure's type is {@code urn:seqserve:problem:<code>} when it has a code (for example
 * {@code urn:seqserve:problem:series-too-short}), else {@code urn:seqserve:problem:<kind>} (for example
 * {@code urn:seqserve:problem:invalid}); a code's status is its kind's. Errors of the HTTP layer itself
 * (405, 415, an unknown path) keep {@code about:blank} with the status phrase. docs/API.md lists them all.
 */
public final class Problems {

    static final URI BLANK = URI.create("about:blank");
    private static final String TYPE_PREFIX = "urn:seqserve:problem:";

    private Problems() {}

    public static ProblemDetail of(int status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        problem.setTitle(title);
        problem.setType(BLANK);
        return problem;
    }

    public static ProblemDetail of(Failure e) {
        ProblemDetail problem = of(status(e.kind()), title(e), e.getMessage());
        problem.setType(type(e));
        if (!e.errors().isEmpty()) {
            problem.setProperty("errors", e.errors());
        }
        e.extensions().forEach(problem::setProperty);
        return problem;
    }

    /** The one mapping from a failure's kind to an HTTP status. */
    public static int status(Failure.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
            case CAPACITY -> 429;
            case ENGINE, INTERNAL -> 500;
            case UNAVAILABLE, DEADLINE -> 503;
        };
    }

    public static String title(Failure.Kind kind) {
        return switch (kind) {
            case INVALID -> "Invalid request";
            case NOT_FOUND -> "Not Found";
            case CONFLICT -> "Conflict";
            case GONE -> "Gone";
            case TOO_LARGE -> "Payload Too Large";
            case UNPROCESSABLE -> "Unprocessable input";
            case CAPACITY -> "Too Many Requests";
            case ENGINE -> "Model execution failed";
            case INTERNAL -> "Internal Server Error";
            case UNAVAILABLE -> "Service Unavailable";
            case DEADLINE -> "Deadline exceeded";
        };
    }

    public static String title(Failure.Code code) {
        return switch (code) {
            case MODEL_NOT_FOUND -> "Model not found";
            case VERSION_NOT_FOUND -> "Version not found";
            case VERSION_NOT_LOADED -> "Version not loaded";
            case VERSION_LOADING -> "Version not ready";
            case VERSION_FAILED -> "Version failed to load";
            case WRONG_TASK -> "Model does not serve this task";
            case SERIES_TOO_SHORT -> "Series too short";
            case HORIZON_TOO_LONG -> "Horizon too long";
            case INPUT_MISMATCH -> "Input does not fit the model";
            case UNKNOWN_TOKEN -> "Unknown token";
        };
    }

    /** The failure's title: its code's when it has one, else its kind's. */
    public static String title(Failure e) {
        return e.code() == null ? title(e.kind()) : title(e.code());
    }

    /** {@code urn:seqserve:problem:} and the kind in lower case with dashes ({@code not-found}, {@code too-large}). */
    public static URI type(Failure.Kind kind) {
        return URI.create(TYPE_PREFIX + kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** {@code urn:seqserve:problem:} and the code in lower case with dashes ({@code series-too-short}). */
    public static URI type(Failure.Code code) {
        return URI.create(TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The failure's problem type: its code's when it has one, else its kind's. */
    public static URI type(Failure e) {
        return e.code() == null ? type(e.kind()) : type(e.code());
    }

    /** Writes a failure straight to the response, for code that runs before Spring MVC. */
    public static void write(HttpServletResponse response, Failure failure) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(failure).toString());
        body.put("title", title(failure));
        body.put("status", status(failure.kind()));
        body.put("detail", failure.getMessage());
        if (!failure.errors().isEmpty()) {
            body.put("errors", failure.errors());
        }
        write(response, status(failure.kind()), body);
    }

    /** Writes a problem of the HTTP layer (401, 403) straight to the response. */
    public static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", BLANK.toString());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        write(response, status, body);
    }

    private static void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(StrictJson.MAPPER.writeValueAsBytes(body));
    }

    /** The {@code errors} list of a problem, for handlers that build one themselves. */
    static void setErrors(ProblemDetail problem, List<Failure.FieldError> errors) {
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
    }
}
