package io.seqserve.training.data;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The mapper for the training feature's own files (job records, dataset metadata, checkpoints, history). */
public final class Json {

    public static final JsonMapper FILES = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Files written before a field existed lack it: a missing int reads as 0 and the record's
            // constructor supplies the default (Jackson 3 would refuse it by default).
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {}
}
