package dev.k8swasm.wasi.sandbox;

/**
 * Sees what the guest wrote once an evaluation is over, whatever its outcome (e.g. to log stderr).
 * Runs on the evaluating thread after the deadline stopped, before the evaluation's result or
 * failure is returned; the streams are valid only during the call.
 */
@FunctionalInterface
public interface OutputObserver {

  /**
   * Called once per evaluation that got an instance.
   *
   * @param succeeded whether the evaluation is about to return a result
   */
  void finished(BoundedOutput stdout, BoundedOutput stderr, boolean succeeded);
}
