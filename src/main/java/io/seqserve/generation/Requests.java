package io.seqserve.generation;

import io.seqserve.Failure;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import java.util.ArrayList;
import java.util.List;

/** Binding of request bodies: no type coercion (42 is no prompt); unknown fields are errors where the API is ours. */
final class Requests {

    /** For seqserve's own API. */
    static final JsonMapper STRICT = mapper(true);
    /** For the OpenAI API, whose clients send fields seqserve has no use for. */
    static final JsonMapper LENIENT = mapper(false);

    private Requests() {}

    static <T> T read(JsonMapper mapper, JsonNode body, Class<T> type) {
        if (body == null || !body.isObject()) {
            throw Failure.badRequest("the request body must be a JSON object");
        }
        try {
            return mapper.treeToValue(body, type);
        } catch (JacksonException e) {
            throw Failure.badRequest("invalid request: " + e.getOriginalMessage());
        }
    }

    /** {@code stop}: absent, one string, or a list of strings. */
    static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isString()) {
            return List.of(stop.asString());
        }
        List<String> stops = new ArrayList<>();
        if (stop.isArray()) {
            for (JsonNode s : stop) {
                if (!s.isString()) {
                    break;
                }
                stops.add(s.asString());
            }
            if (stops.size() == stop.size()) {
                return stops;
            }
        }
        throw Failure.invalid("stop", "must be a string or a list of strings");
    }

    private static JsonMapper mapper(boolean failOnUnknown) {
        JsonMapper.Builder builder = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
        return (failOnUnknown ? builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                : builder.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).build();
    }
}
