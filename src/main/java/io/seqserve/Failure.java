package io.seqserve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request that cannot be served, said without HTTP: what went wrong ({@link Kind}), a detail for the
 * caller, the fields at fault and, for transient conditions, when to retry. Every feature and the runtime
 * throw it; {@code web} alone turns a kind into a status and a problem type, so the runtime stays free of
 * transport concerns (as DJL Serving's {@code wlm} exceptions are).
 */
public class Failure extends RuntimeException {

    /** What went wrong, from the caller's point of view. Whose fault it is follows from the kind. */
    public enum Kind {
        /** The request is malformed or one of its fields is wrong. */
        INVALID("invalid"),
        /** Well-formed, but this model cannot use it: a shape, a window, a task it does not serve. */
        UNPROCESSABLE("invalid"),
        /** No such model, version, label, job or data set. */
        NOT_FOUND("not_found"),
        /** It existed and is no longer served. */
        GONE("not_found"),
        /** The request contradicts the current state (a labelled version cannot be deleted, ...). */
        CONFLICT("invalid"),
        /** A body, tensor or result over a configured bound. */
        TOO_LARGE("invalid"),
        /** Queues or slots are full: try again shortly. */
        CAPACITY("rejected"),
        /** Not ready, shutting down, or the environment cannot run it: not the caller's fault. */
        UNAVAILABLE("unavailable"),
        /** The request's deadline passed before it could run. */
        DEADLINE("deadline"),
        /** The engine failed on an input that validation accepted (out of memory, a native error). */
        ENGINE("error"),
        /** A bug, or a model that breaks its own declared contract. */
        INTERNAL("error");

        private final String outcome;

        Kind(String outcome) {
            this.outcome = outcome;
        }

        /** The low-cardinality {@code outcome} tag that metrics use for this kind. */
        public String outcome() {
            return outcome;
        }
    }

    /** One problem with one field of the request. */
    public record FieldError(String field, String message) {}

    private final Kind kind;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public Failure(Kind kind, String detail) {
        this(kind, detail, List.of(), null, null);
    }

    public Failure(Kind kind, String detail, List<FieldError> errors, Long retryAfterSeconds, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static Failure badRequest(String detail) {
        return new Failure(Kind.INVALID, detail);
    }

    public static Failure invalid(String field, String message) {
        return new Failure(Kind.INVALID, field + ": " + message, List.of(new FieldError(field, message)), null, null);
    }

    public static Failure invalid(String detail, List<FieldError> errors) {
        return new Failure(Kind.INVALID, detail, errors, null, null);
    }

    public static Failure unprocessable(String detail) {
        return new Failure(Kind.UNPROCESSABLE, detail);
    }

    public static Failure unprocessable(String field, String message) {
        return new Failure(
                Kind.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)), null, null);
    }

    public static Failure notFound(String detail) {
        return new Failure(Kind.NOT_FOUND, detail);
    }

    public static Failure gone(String detail) {
        return new Failure(Kind.GONE, detail);
    }

    public static Failure conflict(String detail) {
        return new Failure(Kind.CONFLICT, detail);
    }

    public static Failure tooLarge(String detail) {
        return new Failure(Kind.TOO_LARGE, detail);
    }

    public static Failure capacity(String detail, long retryAfterSeconds) {
        return new Failure(Kind.CAPACITY, detail, List.of(), retryAfterSeconds, null);
    }

    public static Failure unavailable(String detail) {
        return new Failure(Kind.UNAVAILABLE, detail);
    }

    public static Failure deadline(String detail) {
        return new Failure(Kind.DEADLINE, detail);
    }

    public static Failure engine(String detail, Throwable cause) {
        return new Failure(Kind.ENGINE, detail, List.of(), null, cause);
    }

    public static Failure internal(String detail) {
        return new Failure(Kind.INTERNAL, detail);
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Adds a member to the problem this failure becomes (an RFC 9457 extension): the numbers behind a refusal. */
    public Failure with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public Map<String, Object> extensions() {
        return Collections.unmodifiableMap(extensions);
    }

    /** The metrics outcome of a finished call: {@code success}, or its failure kind's outcome. */
    public static String outcome(Throwable error) {
        if (error == null) {
            return "success";
        }
        return Throwables.unwrap(error) instanceof Failure f ? f.kind.outcome() : "error";
    }
}
