package io.seqserve.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** A test that drives Debian's headless Chromium: fails under {@code CI=true} without it, else skips. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(Tags.BROWSER)
@RequiresTool(Tool.CHROMIUM)
public @interface BrowserTest {}
