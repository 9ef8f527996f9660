package io.seqserve.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the real image in a Docker engine: fails under {@code CI=true} when no engine answers,
 * else skips. Such classes are named {@code *IT} and run under {@code verify} (failsafe).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(Tags.CONTAINER)
@RequiresTool(Tool.DOCKER)
public @interface ContainerTest {}
