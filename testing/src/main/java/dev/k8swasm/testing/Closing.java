package dev.k8swasm.testing;

import java.util.List;

/** Closes several things, all of them even when one fails. */
final class Closing {
  private Closing() {}

  /**
   * Closes every item; the first failure is thrown afterwards, later ones attached as suppressed.
   */
  static void all(List<? extends AutoCloseable> items) {
    RuntimeException failure = null;
    for (AutoCloseable item : items) {
      try {
        item.close();
      } catch (Exception e) {
        if (failure == null) {
          failure =
              e instanceof RuntimeException r
                  ? r
                  : new IllegalStateException("closing " + item + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
