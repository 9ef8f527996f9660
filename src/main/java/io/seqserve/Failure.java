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

    /**
     * What went wrong, more precisely than the kind, where clients act differently on it (retry, label a
     * version, send a longer series). Each code belongs to one kind; most failures need none.
     */
    public enum Code {
        /** No model has that name (or it has no versions). */
        MODEL_NOT_FOUND(Kind.NOT_FOUND),
        /** The model has no such version or label. */
        VERSION_NOT_FOUND(Kind.NOT_FOUND),
        /** The named version exists but is not loaded: labelling it loads it and keeps it loaded. */
        VERSION_NOT_LOADED(Kind.GONE),
        /** No version can serve yet (loading, or between states): retry after the advertised delay. */
        VERSION_LOADING(Kind.UNAVAILABLE),
        /** The version failed to load: the model cannot be served as it is. */
        VERSION_FAILED(Kind.UNPROCESSABLE),
        /** The model does not serve this task (forecasting, text generation). */
        WRONG_TASK(Kind.UNPROCESSABLE),
        /** A series is shorter than the model's window (or than a backtest or calibration needs). */
        SERIES_TOO_SHORT(Kind.UNPROCESSABLE),
        /** A horizon longer than the model or the configuration allows. */
        HORIZON_TOO_LONG(Kind.UNPROCESSABLE),
        /** A tensor does not fit the model's signature (rank, fixed dimensions, batch, dtype). */
        INPUT_MISMATCH(Kind.UNPROCESSABLE),
        /** A prompt holds tokens the model's vocabulary does not have. */
        UNKNOWN_TOKEN(Kind.UNPROCESSABLE);

        private final Kind kind;

        Code(Kind kind) {
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** One problem with one field of the request. */
    public record FieldError(String field, String message) {}

    private final Kind kind;
    private final Code code;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public Failure(Kind kind, String detail) {
        this(kind, detail, List.of(), null, null);
    }

    public Failure(Kind kind, String detail, List<FieldError> errors, Long retryAfterSeconds, Throwable cause) {
        this(kind, null, detail, errors, retryAfterSeconds, cause);
    }

    /** A failure with a specific code; its kind is the code's. */
    public Failure(Code code, String detail, List<FieldError> errors, Long retryAfterSeconds, Throwable cause) {
        this(code.kind(), code, detail, errors, retryAfterSeconds, cause);
    }

    private Failure(
            Kind kind, Code code, String detail, List<FieldError> errors, Long retryAfterSeconds, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static Failure of(Code code, String detail) {
        return new Failure(code, detail, List.of(), null, null);
    }

    /** A coded failure that names the field at fault. */
    public static Failure of(Code code, String field, String message) {
        return new Failure(code, field + ": " + message, List.of(new FieldError(field, message)), null, null);
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

    /** The specific code, or null when the kind says all there is to say. */
    public Code code() {
        return code;
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
