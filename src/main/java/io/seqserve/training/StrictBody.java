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

    /** Binds the annotated types as if they were not annotated. */
    private static final JacksonAnnotationIntrospector IGNORING = new JacksonAnnotationIntrospector() {
        @Override
        public Object findDeserializer(MapperConfig<?> config, Annotated a) {
            Object found = super.findDeserializer(config, a);
            return found == StrictBody.class ? null : found;
        }
    };

    private static final JsonMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(IGNORING)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
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

    /**
     * {@code base} binding the annotated types with its own leniency: for the service's own files, which
     * older versions wrote after a more lenient binding.
     */
    static JsonMapper ignoredBy(JsonMapper base) {
        return base.rebuild().annotationIntrospector(IGNORING).build();
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
