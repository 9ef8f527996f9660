package io.seqserve.web;

import io.seqserve.Failure;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * A request that bound badly, as field errors a client can act on: the path of the field as the request
 * writes it ({@code series[0].values[3]}, {@code training.batch_size}, {@code search.hidden_size[1]}, a
 * header's name) and a message in JSON's words, never a Java type name. Covers both steps of binding:
 * Jackson's (malformed JSON, unknown field, wrong JSON type) and Bean Validation's (a constraint on a
 * record component or a handler parameter, whose Java name is turned into the wire's snake_case).
 */
public final class BindingErrors {

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    private BindingErrors() {}

    /** A body Jackson could not read: malformed JSON (no field), or a value of the wrong type or name. */
    public static Failure unreadable(JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                // nesting deeper than 1000, a number of more than 1000 digits, ...: the parser's own bounds
                return Failure.badRequest(
                        "the JSON body exceeds a parser limit: " + firstLine(limit.getOriginalMessage()));
            }
        }
        if (e instanceof StreamReadException && !(e instanceof InputCoercionException)) {
            return Failure.badRequest("malformed JSON body: " + firstLine(e.getOriginalMessage()));
        }
        return Failure.invalid(path(e.getPath()), message(e));
    }

    private static String message(JacksonException e) {
        if (e instanceof PropertyBindingException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "unknown field"
                    + (known == null || known.isEmpty()
                            ? ""
                            : "; expected one of "
                                    + known.stream()
                                            .map(String::valueOf)
                                            .sorted()
                                            .toList());
        }
        if (e instanceof ValueInstantiationException || e.getCause() instanceof IllegalArgumentException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return firstLine(cause.getMessage());
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InputCoercionException) {
            return "is out of range";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String own = mismatch.getOriginalMessage();
            // A deserializer written for clients says what it wants; Jackson's own messages quote Java types.
            boolean jacksons =
                    own == null || own.contains("`") || own.startsWith("Cannot ") || own.startsWith("Unexpected ");
            return jacksons ? "must be " + expected(mismatch.getTargetType()) : own;
        }
        return "has the wrong type";
    }

    /** What JSON a Java type takes, in the words of the API. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
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

    /** Jackson's path as the request writes it: {@code series[0].values}; {@code body} for the body itself. */
    static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /** Bean Validation's findings on a {@code @Valid} body or model attribute, field paths in snake_case. */
    static Failure invalid(BindingResult result) {
        List<Failure.FieldError> fields = new ArrayList<>();
        result.getFieldErrors()
                .forEach(e -> fields.add(new Failure.FieldError(snakeCase(e.getField()), e.getDefaultMessage())));
        result.getGlobalErrors().forEach(e -> fields.add(new Failure.FieldError("body", e.getDefaultMessage())));
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
        fields.sort(Comparator.comparing(Failure.FieldError::field).thenComparing(Failure.FieldError::message));
        List<String> parts =
                fields.stream().map(f -> f.field() + ": " + f.message()).toList();
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
        return Messages.clientSafe(message);
    }
}
