package io.seqserve.web;

import io.seqserve.Failure;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns what Jackson and Bean Validation say about a request into {@link Failure}s with a field path in
 * the request's own terms ({@code series[0].values}, {@code max_tokens}, the header's name) and a message
 * that names JSON types, never Java classes.
 */
final class BindingErrors {

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    private BindingErrors() {}

    /** A body Jackson could not read: malformed JSON (no field), or a value of the wrong type or name. */
    static Failure unreadable(JacksonException e) {
        String field = path(e.getPath());
        if (e instanceof StreamReadException && !(e instanceof InputCoercionException)) {
            return Failure.badRequest("malformed JSON body: " + firstLine(e.getOriginalMessage()));
        }
        String message = message(e);
        if (field.isEmpty()) {
            return Failure.badRequest("invalid request body: " + message);
        }
        return Failure.invalid(field, message);
    }

    private static String message(JacksonException e) {
        if (e instanceof PropertyBindingException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "unknown field" + (known == null || known.isEmpty() ? "" : "; expected one of " + known.stream().sorted().toList());
        }
        if (e instanceof ValueInstantiationException || e.getCause() instanceof IllegalArgumentException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return firstLine(cause.getMessage());
        }
        if (e instanceof InputCoercionException) {
            return "is out of range";
        }
        if (e instanceof InvalidFormatException format && !format.getOriginalMessage().startsWith("Cannot")) {
            return format.getOriginalMessage();
        }
        if (e instanceof MismatchedInputException mismatch) {
            if (mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("must ")) {
                return mismatch.getOriginalMessage();
            }
            return "must be " + expected(mismatch.getTargetType());
        }
        return "cannot be read";
    }

    /** What JSON a Java type takes, in the words of the API. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    /** Jackson's path as the request writes it: {@code series[0].values}. */
    static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Bean Validation's errors of a {@code @Valid} body, field paths in snake_case. */
    static Failure invalid(List<ObjectError> errors) {
        List<Failure.FieldError> fields = new ArrayList<>();
        for (ObjectError error : errors) {
            String field = error instanceof FieldError f ? snakeCase(f.getField()) : "";
            fields.add(new Failure.FieldError(field, error.getDefaultMessage()));
        }
        return failure(fields);
    }

    /** Constraint violations on handler parameters (headers, path variables, a body's elements). */
    static Failure invalid(HandlerMethodValidationException e) {
        List<Failure.FieldError> fields = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = parameterName(result.getMethodParameter());
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                String field = error instanceof FieldError f ? snakeCase(f.getField()) : name;
                fields.add(new Failure.FieldError(field, error.getDefaultMessage()));
            }
        });
        return failure(fields);
    }

    private static Failure failure(List<Failure.FieldError> fields) {
        List<String> parts = fields.stream().map(f -> f.field().isEmpty() ? f.message() : f.field() + ": " + f.message()).toList();
        return Failure.invalid(String.join("; ", parts), fields);
    }

    private static String parameterName(MethodParameter parameter) {
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
        if (variable != null && !variable.name().isEmpty()) {
            return variable.name();
        }
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        String name = parameter.getParameterName();
        return name == null ? "" : snakeCase(name);
    }

    /** {@code series[0].maxTokens} -> {@code series[0].max_tokens}. */
    static String snakeCase(String path) {
        return CAMEL.matcher(path).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline > 0 ? message.substring(0, newline) : message).trim();
    }

}
