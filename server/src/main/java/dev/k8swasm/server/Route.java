package dev.k8swasm.server;

import static dev.k8swasm.server.WebhookServer.AUDIT;
import static dev.k8swasm.server.WebhookServer.AUTHENTICATE;
import static dev.k8swasm.server.WebhookServer.AUTHORIZE;
import static dev.k8swasm.server.WebhookServer.HEALTHZ;
import static dev.k8swasm.server.WebhookServer.METRICS;
import static dev.k8swasm.server.WebhookServer.MUTATE;
import static dev.k8swasm.server.WebhookServer.READINESS;
import static dev.k8swasm.server.WebhookServer.READYZ;
import static dev.k8swasm.server.WebhookServer.VALIDATE;
import static dev.k8swasm.server.WebhookServer.VALIDATE_RAW;

/** The routes, with the method each accepts: routing only. */
enum Route {
  AUTHENTICATE_ROUTE(AUTHENTICATE, "POST", false),
  AUTHORIZE_ROUTE(AUTHORIZE, "POST", false),
  MUTATE_ROUTE(MUTATE, "POST", false),
  VALIDATE_ROUTE(VALIDATE, "POST", false),
  MUTATE_ONE(MUTATE + "/{module}", "POST", false),
  VALIDATE_ONE(VALIDATE + "/{module}", "POST", false),
  VALIDATE_RAW_ONE(VALIDATE_RAW + "/{policy}", "POST", false),
  AUDIT_ONE(AUDIT + "/{policy}", "POST", false),
  HEALTHZ_ROUTE(HEALTHZ, "GET", true),
  READYZ_ROUTE(READYZ, "GET", true),
  READINESS_ROUTE(READINESS, "GET", true),
  METRICS_ROUTE(METRICS, "GET", true);

  /** The path, or its pattern; the {@code endpoint} label of metrics and logs. */
  final String label;

  /** The HTTP method accepted. */
  final String method;

  /** Whether this is a probe or metrics route (served on the I/O threads, on both ports). */
  final boolean ops;

  Route(String label, String method, boolean ops) {
    this.label = label;
    this.method = method;
    this.ops = ops;
  }

  /** The route of {@code path}, or null. */
  static Route of(String path) {
    if (path == null) {
      return null;
    }
    for (Route r : values()) {
      if (r.label.equals(path)) {
        return r;
      }
    }
    if (path.startsWith(MUTATE + "/") && module(path) != null) {
      return MUTATE_ONE;
    }
    if (path.startsWith(VALIDATE + "/") && module(path) != null) {
      return VALIDATE_ONE;
    }
    if (path.startsWith(VALIDATE_RAW + "/") && module(path) != null) {
      return VALIDATE_RAW_ONE;
    }
    if (path.startsWith(AUDIT + "/") && module(path) != null) {
      return AUDIT_ONE;
    }
    return null;
  }

  /** The module name of a {@code /mutate/NAME} or {@code /validate/NAME} path, or null. */
  static String module(String path) {
    String rest = path.substring(path.indexOf('/', 1) + 1);
    return rest.isEmpty() || rest.contains("/") ? null : rest;
  }

  /**
   * The admission-control lane of a request: one per endpoint, and one per module for the
   * single-module endpoints, so a slow module only fills its own lane.
   */
  static String lane(Route route, String path) {
    return single(route) ? path : route.label;
  }

  /** Whether {@code route} names one module or policy in its path. */
  static boolean single(Route route) {
    return route == MUTATE_ONE
        || route == VALIDATE_ONE
        || route == VALIDATE_RAW_ONE
        || route == AUDIT_ONE;
  }

  /** The message of a 404 on {@code opsOnly} ports or the main port. */
  static String notFoundMessage(boolean opsOnly) {
    return opsOnly
        ? "this port serves only " + METRICS + ", " + HEALTHZ + ", " + READYZ + " and " + READINESS
        : "no such endpoint (POST "
            + String.join(", ", AUTHENTICATE, AUTHORIZE, MUTATE, VALIDATE)
            + ", "
            + MUTATE
            + "/NAME, "
            + VALIDATE
            + "/NAME, "
            + VALIDATE_RAW
            + "/ID, "
            + AUDIT
            + "/ID; GET "
            + String.join(", ", HEALTHZ, READYZ, READINESS, METRICS)
            + ")";
  }
}
