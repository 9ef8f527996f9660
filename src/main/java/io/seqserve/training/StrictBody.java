package io.seqserve.training;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Binds a request body strictly, whatever the application's mapper allows: an unknown field, or a value of
 * the wrong JSON type ({@code "10"} or {@code 1.5} for an integer, {@code 5} for a string, {@code "true"}
 * for a boolean), fails with the field's path instead of being ignored or coerced. The type annotated
 * with it is read as a tree by the caller's mapper and bound by this strict one.
 */
final class StrictBody extends ValueDeserializer<Object> {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                /** The strict mapper binds the annotated type itself. */
                @Override
                public Object findDeserializer(MapperConfig<?> config, Annotated a) {
                    Object found = super.findDeserializer(config, a);
                    return found == StrictBody.class ? null : found;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private final JavaType type;

    StrictBody() {
        this(null);
    }

    private StrictBody(JavaType type) {
        this.type = type;
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
        return new StrictBody(ctxt.getContextualType());
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
        return STRICT.readerFor(type).readValue(ctxt.readTree(p));
    }
}
