package dev.k8swasm.server;

import static dev.k8swasm.server.WebhookServer.AUTHENTICATE;
import static dev.k8swasm.server.WebhookServer.AUTHORIZE;
import static dev.k8swasm.server.WebhookServer.MUTATE;
import static dev.k8swasm.server.WebhookServer.VALIDATE;

import dev.k8swasm.admission.AdmissionChain;
import java.util.Optional;

/** Answers one review with the chain its route names in the configuration serving it. */
final class Evaluator {
  private final boolean debug;
  private final PolicyServerMetrics policyServerMetrics;
  private final String alwaysAcceptNamespace;

  /**
   * {@code debug}: module output (stderr) goes to clients too; {@code policyServerMetrics} records
   * the evaluations of policy-server's endpoints; {@code alwaysAcceptNamespace} (null: none) is the
   * namespace policy-server's policies always accept.
   */
  Evaluator(boolean debug, PolicyServerMetrics policyServerMetrics, String alwaysAcceptNamespace) {
    this.debug = debug;
    this.policyServerMetrics = policyServerMetrics;
    this.alwaysAcceptNamespace = alwaysAcceptNamespace;
  }

  private Reviews.Answer policyServer(
      byte[] body, PolicyServerReviews.Policy policy, PolicyServerReviews.Origin origin) {
    return PolicyServerReviews.evaluate(
        body, policy, origin, debug, policyServerMetrics, alwaysAcceptNamespace);
  }

  /**
   * Evaluates {@code body} on {@code route}.
   *
   * @throws HttpError when the body or the route is wrong (4xx)
   */
  Reviews.Answer evaluate(Route route, String path, byte[] body, Policies p) {
    return switch (route) {
      case AUTHENTICATE_ROUTE ->
          Reviews.authenticate(
              body,
              p.authenticator().orElseThrow(() -> notConfigured("authentication", AUTHENTICATE)),
              debug);
      case AUTHORIZE_ROUTE ->
          Reviews.authorize(
              body,
              p.authorizer().orElseThrow(() -> notConfigured("authorization", AUTHORIZE)),
              debug);
      case MUTATE_ROUTE ->
          Reviews.admit(
              body, p.mutators().orElseThrow(() -> notConfigured("admission", MUTATE)), debug);
      case VALIDATE_ROUTE ->
          Reviews.admit(
              body, p.validators().orElseThrow(() -> notConfigured("admission", VALIDATE)), debug);
      case VALIDATE_ONE -> {
        Optional<PolicyServerReviews.Policy> policy = p.policyServer(Route.module(path));
        yield policy.isPresent()
            ? policyServer(body, policy.get(), PolicyServerReviews.Origin.VALIDATE)
            : Reviews.admit(body, single(p, route, path), debug);
      }
      case MUTATE_ONE -> Reviews.admit(body, single(p, route, path), debug);
      case VALIDATE_RAW_ONE ->
          policyServer(body, policy(p, path), PolicyServerReviews.Origin.VALIDATE_RAW);
      case AUDIT_ONE -> policyServer(body, policy(p, path), PolicyServerReviews.Origin.AUDIT);
      default -> throw new IllegalStateException("not a review route: " + route);
    };
  }

  /** Checks, before the body is read, that {@code route} can be answered by {@code p}. */
  void check(Route route, String path, Policies p) {
    switch (route) {
      case AUTHENTICATE_ROUTE ->
          p.authenticator().orElseThrow(() -> notConfigured("authentication", AUTHENTICATE));
      case AUTHORIZE_ROUTE ->
          p.authorizer().orElseThrow(() -> notConfigured("authorization", AUTHORIZE));
      case MUTATE_ROUTE -> p.mutators().orElseThrow(() -> notConfigured("admission", MUTATE));
      case VALIDATE_ROUTE -> p.validators().orElseThrow(() -> notConfigured("admission", VALIDATE));
      case VALIDATE_ONE -> {
        if (p.policyServer(Route.module(path)).isEmpty()) {
          single(p, route, path);
        }
      }
      case MUTATE_ONE -> single(p, route, path);
      case VALIDATE_RAW_ONE, AUDIT_ONE -> policy(p, path);
      default -> throw new IllegalStateException("not a review route: " + route);
    }
  }

  private static AdmissionChain single(Policies p, Route route, String path) {
    String name = Route.module(path);
    boolean mutate = route == Route.MUTATE_ONE;
    Optional<AdmissionChain> chain = mutate ? p.mutator(name) : p.validator(name);
    if (chain.isPresent()) {
      return chain.get();
    }
    if (p.admission().isEmpty()) {
      throw notConfigured("admission", mutate ? MUTATE : VALIDATE);
    }
    if ((mutate ? p.validator(name) : p.mutator(name)).isPresent()) {
      throw HttpError.notFound(
          "module '"
              + clip(name)
              + "' is a "
              + (mutate ? "validating" : "mutating")
              + " module: use "
              + (mutate ? VALIDATE : MUTATE)
              + "/"
              + clip(name));
    }
    throw HttpError.notFound("no admission module named '" + clip(name) + "'");
  }

  /** Policy-server's policy named in {@code path}; 404 with policy-server's body if none. */
  private static PolicyServerReviews.Policy policy(Policies p, String path) {
    String id = Route.module(path);
    return p.policyServer(id)
        .orElseThrow(
            () ->
                HttpError.policyServer(
                    404,
                    "NotFound",
                    "unknown policy: "
                        + clip(id)
                        + " (not a policy of the configuration's policies.yml)"));
  }

  private static HttpError notConfigured(String section, String endpoint) {
    return HttpError.notFound(
        endpoint + ": no " + section + " section in the server's configuration");
  }

  static String clip(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
    return one.length() > 100 ? one.substring(0, 100) + "..." : one;
  }
}
