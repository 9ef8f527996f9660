package io.seqserve.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class needs these tools on the machine. Before its first test {@link ToolCheck} looks for
 * each: under {@code CI=true} a missing tool fails the class (CI must not pass by skipping real
 * parts); elsewhere the class is skipped with a message that says what to install.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(ToolCheck.class)
@Repeatable(RequiresTool.All.class)
public @interface RequiresTool {

    Tool[] value();

    /** Several {@code @RequiresTool} on one class. */
    @Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Inherited
    @ExtendWith(ToolCheck.class)
    @interface All {
        RequiresTool[] value();
    }
}
