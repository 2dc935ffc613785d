package dev.k8swasm.testing;

import java.util.List;

/**
 * What a failure message shows besides the failed expectation: the request, and what each module
 * was given and answered (raw) or how it failed.
 *
 * @param request the request as pretty JSON, tokens redacted; null when unknown
 * @param calls the recorded module calls
 * @param recorded whether calls were recorded (false for results that did not come through {@link
 *     Policy} or {@link PolicyChain})
 */
record Evidence(String request, List<ModuleCall> calls, boolean recorded) {
  static final Evidence NONE = new Evidence(null, List.of(), false);

  Evidence {
    calls = List.copyOf(calls);
  }

  static Evidence of(Object request, List<ModuleCall> calls) {
    return new Evidence(request == null ? null : Texts.pretty(request), calls, true);
  }

  static Evidence unrecorded(Object request) {
    return new Evidence(request == null ? null : Texts.pretty(request), List.of(), false);
  }

  String render() {
    StringBuilder out = new StringBuilder();
    if (request != null) {
      out.append("\n\nrequest (bearer tokens redacted):\n")
          .append(Texts.indent(Texts.truncate(request)));
    }
    for (ModuleCall call : calls) {
      out.append("\n\n").append(call.describe(request));
    }
    if (calls.isEmpty() && recorded) {
      out.append("\n\n(no module was called)");
    }
    return out.toString();
  }
}
