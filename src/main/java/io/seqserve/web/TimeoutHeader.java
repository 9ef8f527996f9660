package io.seqserve.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents {@link RequestTimeout#HEADER}'s range in the OpenAPI document where the handler checks it in code
 * ({@link RequestTimeout#checked}) instead of with Bean Validation annotations springdoc would read.
 */
@Target({ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Parameter(
        description = "deadline for queueing and the forward pass, in milliseconds (default: "
                + "seqserve.runtime.request-timeout)",
        schema = @Schema(type = "integer", format = "int64", minimum = "1", maximum = "600000"))
public @interface TimeoutHeader {}
