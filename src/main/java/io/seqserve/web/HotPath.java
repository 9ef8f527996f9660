package io.seqserve.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a controller: its POST mappings are looked up before the rest of the application's ({@link HotPathMapping}).
 * For the few endpoints that carry most of the traffic and whose paths have variables.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HotPath {}
