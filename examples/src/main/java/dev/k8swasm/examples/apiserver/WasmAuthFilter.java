package dev.k8swasm.examples.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.Authenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.RequestAttributes;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP filter that does what kube-apiserver does before it serves a request: authenticate the
 * bearer token with an {@link Authenticator} (here: a chain of WebAssembly modules), then ask an
 * {@link Authorizer} (another chain) whether that user may make the request, as worked out by
 * {@link RequestAttributes}.
 *
 * <ul>
 *   <li>no bearer token, or a token no module recognises: {@code 401 Unauthorized};
 *   <li>the authorizer allows: the request goes on to the handler, with the user in the exchange
 *       attribute {@value #USER};
 *   <li>it denies or has no opinion: {@code 403 Forbidden} with kube-apiserver's message.
 * </ul>
 *
 * Answers are Kubernetes {@code Status} objects. Thread-safe (the chains are).
 */
public final class WasmAuthFilter extends Filter {
  /** The exchange attribute holding the authenticated {@link UserInfo}. */
  public static final String USER = "k8s-wasm.user";

  /** The exchange attribute holding the {@link RequestAttributes}. */
  public static final String ATTRIBUTES = "k8s-wasm.attributes";

  private static final Logger LOG = LoggerFactory.getLogger(WasmAuthFilter.class);

  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final List<String> audiences;

  /** A filter asking {@code authenticator} and {@code authorizer}. */
  public WasmAuthFilter(Authenticator authenticator, Authorizer authorizer) {
    this(authenticator, authorizer, List.of());
  }

  /** A filter that also requires tokens valid for {@code audiences}. */
  public WasmAuthFilter(
      Authenticator authenticator, Authorizer authorizer, List<String> audiences) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.audiences = List.copyOf(audiences);
  }

  @Override
  public String description() {
    return "authentication and authorization by WebAssembly modules";
  }

  // docs:start filter
  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    String token = bearerToken(exchange.getRequestHeaders().getFirst("Authorization"));
    if (token == null) {
      status(exchange, 401, "Unauthorized", "Unauthorized");
      return;
    }
    AuthenticationResult who = authenticator.authenticate(TokenReview.forToken(token, audiences));
    if (!who.authenticated()) {
      if (!who.errors().isEmpty()) {
        LOG.warn("authentication failed: {}", who.errorMessage()); // never contains the token
      }
      status(exchange, 401, "Unauthorized", "Unauthorized");
      return;
    }
    UserInfo user = who.user();
    RequestAttributes attributes =
        RequestAttributes.of(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getQuery());
    AuthorizationDecision decision = authorizer.authorize(attributes.reviewFor(user));
    if (decision.evaluationError() != null) {
      LOG.warn("authorization error: {}", decision.evaluationError());
    }
    if (!decision.allowed()) {
      status(
          exchange,
          403,
          "Forbidden",
          attributes.forbiddenMessage(user.username(), decision.reason()));
      return;
    }
    exchange.setAttribute(USER, user);
    exchange.setAttribute(ATTRIBUTES, attributes);
    chain.doFilter(exchange);
  }

  // docs:end filter

  /** The token of an {@code Authorization: Bearer <token>} header, or null. */
  static String bearerToken(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** Answers with a Kubernetes {@code Status} object. */
  static void status(HttpExchange exchange, int code, String reason, String message)
      throws IOException {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    send(exchange, code, Json.write(status));
  }

  static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
    exchange.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }
}
