package dev.k8swasm.testing;

import org.opentest4j.AssertionFailedError;

/** What the assertions share: the evidence of the evaluation and the way they fail. */
abstract class AbstractAssert {
  private final Evidence evidence;

  AbstractAssert(Evidence evidence) {
    this.evidence = evidence == null ? Evidence.NONE : evidence;
  }

  Evidence evidence() {
    return evidence;
  }

  /** Fails with {@code headline} followed by the evidence. */
  AssertionFailedError failure(String headline) {
    return new AssertionFailedError(headline + evidence.render());
  }

  /**
   * Fails with {@code headline}, the expected and actual values, and the evidence; IDEs show a
   * comparison of {@code expected} and {@code actual}.
   */
  AssertionFailedError failure(String headline, Object expected, Object actual) {
    return new AssertionFailedError(
        headline
            + "\n  expected: "
            + show(expected)
            + "\n  but was:  "
            + show(actual)
            + evidence.render(),
        expected,
        actual);
  }

  private static String show(Object value) {
    if (value instanceof String s) {
      return s.contains("\n") ? "\n" + Texts.indent(s) : Texts.quote(s);
    }
    return String.valueOf(value);
  }
}
