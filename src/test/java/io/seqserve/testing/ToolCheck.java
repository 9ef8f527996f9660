package io.seqserve.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Decides, before a {@link RequiresTool} class runs (and before a Spring context is started for it),
 * what a missing tool means: when the environment says {@code CI=true} the class fails (CI must not
 * pass by skipping real parts); elsewhere it is skipped, reported as skipped, and the reason with what
 * to install is printed, so a run without the tool never looks like a run with it.
 */
public class ToolCheck implements ExecutionCondition, BeforeAllCallback {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = context.getTestClass().flatMap(ToolCheck::missing);
        if (missing.isEmpty() || inCi()) {
            return ConditionEvaluationResult.enabled("tools present, or CI=true (then beforeAll fails)");
        }
        if (context.getTestMethod().isEmpty()) {
            System.out.println("[skipped] " + missing.get());
        }
        return ConditionEvaluationResult.disabled("skipped: " + missing.get());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        missing(context.getRequiredTestClass()).ifPresent(message -> {
            throw new AssertionError(
                    "CI=true and a real part is missing, so this fails instead of skipping. " + message);
        });
    }

    /** What is missing for the class, with what to install; empty when everything is there. */
    private static Optional<String> missing(Class<?> type) {
        List<String> missing = new ArrayList<>();
        for (RequiresTool requires : AnnotationSupport.findRepeatableAnnotations(type, RequiresTool.class)) {
            for (Tool tool : requires.value()) {
                if (!tool.available()) {
                    missing.add(tool.missing());
                }
            }
        }
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of(type.getSimpleName() + ": " + String.join("; ", missing));
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
