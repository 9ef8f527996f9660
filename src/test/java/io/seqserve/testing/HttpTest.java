package io.seqserve.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that starts the real application (Spring context, engines, HTTP on a random port).
 * {@link ServerTest} carries it; a Spring Boot test that does not extend it puts it on itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(Tags.HTTP)
public @interface HttpTest {}
