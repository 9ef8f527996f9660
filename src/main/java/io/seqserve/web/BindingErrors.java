package io.seqserve.web;

import io.seqserve.Failure;
import io.seqserve.Failure.FieldError;

import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request body that bound badly, as field errors a client can act on: the JSON path of the field
 * ({@code training.batch_size}, {@code search.hidden_size[1]}) and a message in the API's words, never a
 * Java type name. Covers both steps of binding: Jackson's (unknown field, wrong JSON type) and Bean
 * Validation's (a constraint on a record component, whose Java name is turned into the wire's snake_case).
 */
final class BindingErrors {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private BindingErrors() {}

    /** Bean Validation's findings on a bound body. */
    static Failure of(BindingResult result) {
        List<FieldError> errors = new ArrayList<>();
        result.getFieldErrors().forEach(e -> errors.add(new FieldError(snakeCase(e.getField()), e.getDefaultMessage())));
        result.getGlobalErrors().forEach(e -> errors.add(new FieldError("body", e.getDefaultMessage())));
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return Failure.invalid(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")), errors);
    }

    /** Jackson's finding, or null when the body is not even JSON (then it is reported as malformed). */
    static Failure of(HttpMessageNotReadableException ex) {
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof DatabindException || t instanceof InputCoercionException) {
                JacksonException e = (JacksonException) t;
                return Failure.invalid(path(e), message(e));
            }
        }
        return null;
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String message(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field; expected one of " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InputCoercionException) {
            return "is out of range";
        }
        if (e instanceof MismatchedInputException m) {
            String own = m.getOriginalMessage();
            // A deserializer written for clients says what it wants; Jackson's own messages quote Java types.
            boolean jacksons = own == null || own.contains("`") || own.startsWith("Cannot ") || own.startsWith("Unexpected ");
            return jacksons ? expected(m.getTargetType()) : own;
        }
        return "has the wrong type";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                || type == short.class || type == BigInteger.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "must be a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be a list";
        }
        return "must be an object";
    }

    /** {@code search.hiddenSize[1]} -> {@code search.hidden_size[1]}. */
    static String snakeCase(String javaPath) {
        StringBuilder out = new StringBuilder();
        for (String segment : javaPath.split("\\.")) {
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            out.append(out.isEmpty() ? "" : ".").append(SNAKE.nameForField(null, null, name)).append(bracket < 0 ? "" : segment.substring(bracket));
        }
        return out.toString();
    }
}
