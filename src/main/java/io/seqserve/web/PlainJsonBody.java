package io.seqserve.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a request body type: a {@code @RequestBody} parameter of this type (without {@code @Valid}) is read straight
 * from the request's stream with the application's JSON mapper ({@link PlainJsonBodyResolver}), not through Spring's
 * message-converter negotiation. For the bodies of the busiest endpoints; JSON only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PlainJsonBody {}
