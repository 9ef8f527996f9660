package io.seqserve.web;

import io.seqserve.Failure;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;

import java.util.Map;

/** RFC 9457 problem details, built the same way by the exception handler and by servlet filters. */
public final class Problems {

    static final URI BLANK = URI.create("about:blank");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    public static ProblemDetail of(int status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        problem.setTitle(title);
        problem.setType(BLANK);
        return problem;
    }

    public static ProblemDetail of(Failure e) {
        ProblemDetail problem = of(status(e.kind()), title(e.kind()), e.getMessage());
        if (!e.errors().isEmpty()) {
            problem.setProperty("errors", e.errors());
        }
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

    /** Writes a problem straight to the response, for code that runs before Spring MVC. */
    public static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }

}
