package io.seqserve.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem statuses an endpoint answers besides its success, for the OpenAPI document: each becomes an
 * {@code application/problem+json} response with the {@code Problem} schema and what the status means
 * (see {@link OpenApiConfiguration}). Kept next to the handler, so the document says what the code does.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ProblemResponses {

    /** HTTP statuses, e.g. {@code {400, 404, 422}}. */
    int[] value();

    /** Write endpoints: 401 without a bearer token when one is configured, 403 with a wrong one or off loopback. */
    boolean write() default false;
}
