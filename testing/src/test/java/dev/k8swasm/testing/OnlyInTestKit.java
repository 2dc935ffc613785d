package dev.k8swasm.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks an example test class that only runs inside another test, through {@link
 * WasmPolicyExtensionTest#run}: Surefire (for instance with {@code -Dtest=...}) skips it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(OnlyInTestKit.Condition.class)
@interface OnlyInTestKit {

  /** Enables the class only while {@link #running} is set. */
  final class Condition implements ExecutionCondition {
    static volatile boolean running;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return running
          ? ConditionEvaluationResult.enabled("run by a test")
          : ConditionEvaluationResult.disabled("an example class, run only by another test");
    }
  }
}
