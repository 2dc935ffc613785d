package dev.k8swasm.server;

import dev.k8swasm.observe.Evaluation;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened while one request was evaluated on this thread, for its access log line: the module
 * evaluations reported by the chains.
 */
final class RequestContext {
  private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

  private final List<Evaluation> evaluations = new ArrayList<>(4);

  private RequestContext() {}

  /** Starts collecting on this thread. */
  static RequestContext begin() {
    RequestContext c = new RequestContext();
    CURRENT.set(c);
    return c;
  }

  /** Stops collecting on this thread. */
  static void end() {
    CURRENT.remove();
  }

  /** Records an evaluation into the current request, if any. */
  static void record(Evaluation e) {
    RequestContext c = CURRENT.get();
    if (c != null) {
      c.evaluations.add(e);
    }
  }

  List<Evaluation> evaluations() {
    return evaluations;
  }
}
