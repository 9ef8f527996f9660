package io.seqserve;

import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.NumberDeserializers;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The one Jackson configuration of seqserve: request bodies, responses and manifest sections. Spring
 * MVC's {@code JsonMapper} gets it through {@code web.JsonConfiguration}; code outside a request uses
 * {@link #MAPPER}. snake_case names; a wrong JSON type is the sender's mistake, never coerced (no
 * {@code "1"} or {@code 1.9} for an integer, no {@code 5} for a string, no {@code 1} for a boolean);
 * unknown and duplicate properties are refused; non-finite numbers ({@code NaN}, and {@code 1e999},
 * which Jackson reads as infinity) are refused. An API that must accept fields it has no use for (the
 * OpenAI-compatible one) says so on its request record with {@code @JsonIgnoreProperties(ignoreUnknown = true)}.
 */
public final class StrictJson {

    /** A mapper with exactly this configuration, for manifests and tests. */
    public static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    private StrictJson() {}

    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        SimpleModule finite = new SimpleModule("seqserve-finite-numbers");
        finite.addDeserializer(Double.class, new FiniteDouble(Double.class, null));
        finite.addDeserializer(double.class, new FiniteDouble(double.class, 0.0));
        return builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(
                        LogicalType.Textual,
                        c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Integer,
                        c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .addModule(finite);
    }

    /** Jackson's own double deserializer, refusing what is not a finite number. */
    private static final class FiniteDouble extends StdScalarDeserializer<Double> {
        private final NumberDeserializers.DoubleDeserializer standard;

        @SuppressWarnings({"unchecked", "rawtypes"})
        FiniteDouble(Class<?> type, Double nullValue) {
            super((Class) type);
            this.standard = new NumberDeserializers.DoubleDeserializer((Class) type, nullValue);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) {
            Double value = standard.deserialize(p, ctxt);
            if (value != null && !Double.isFinite(value)) {
                throw InvalidFormatException.from(p, "must be a finite number", p.getString(), Double.class);
            }
            return value;
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return standard.getNullValue(ctxt);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Float;
        }
    }
}
