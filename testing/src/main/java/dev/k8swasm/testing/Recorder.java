package dev.k8swasm.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects the {@link ModuleCall}s made on the current thread while a test evaluates one request.
 * Modules evaluate on the caller's thread, so a thread-local scope sees exactly the calls of that
 * request (also when tests run in parallel).
 */
final class Recorder {
  private static final ThreadLocal<List<ModuleCall>> CURRENT = new ThreadLocal<>();

  private Recorder() {}

  /** The result of {@code action} and the module calls it made. */
  record Recorded<T>(T value, RuntimeException failure, List<ModuleCall> calls) {}

  /**
   * Runs {@code action}, recording its module calls; a runtime exception is captured, not thrown.
   */
  static <T> Recorded<T> record(Supplier<T> action) {
    List<ModuleCall> outer = CURRENT.get();
    List<ModuleCall> calls = new ArrayList<>();
    CURRENT.set(calls);
    try {
      return new Recorded<>(action.get(), null, List.copyOf(calls));
    } catch (RuntimeException e) {
      return new Recorded<>(null, e, List.copyOf(calls));
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        outer.addAll(calls);
        CURRENT.set(outer);
      }
    }
  }

  /** Adds a call to the current scope, if any. */
  static void add(ModuleCall call) {
    List<ModuleCall> calls = CURRENT.get();
    if (calls != null) {
      calls.add(call);
    }
  }
}
