package io.seqserve.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

import java.util.List;

/**
 * Runs before a {@link RequiresTool} class's first test (and before a Spring context is started for
 * it). A missing tool fails the class when the environment says {@code CI=true}, and skips it with
 * what to install otherwise.
 */
public class ToolCheck implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> type = context.getRequiredTestClass();
        List<RequiresTool> required = AnnotationSupport.findRepeatableAnnotations(type, RequiresTool.class);
        for (RequiresTool requires : required) {
            for (Tool tool : requires.value()) {
                if (!tool.available()) {
                    String message = type.getSimpleName() + ": " + tool.missing();
                    if (inCi()) {
                        throw new AssertionError("CI=true and a real part is missing, so this fails instead of skipping. " + message);
                    }
                    throw new TestAbortedException("skipped: " + message);
                }
            }
        }
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
