package dev.k8swasm.examples.embedding;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Operation;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.RequestAttributes;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.config.Chains;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** The access decisions of a small API server, made by WebAssembly modules. */
public record AccessControl(
    AuthenticatorChain authn, AuthorizerChain authz, AdmissionChain admission) {

  /** 1. Who sends a request with this bearer token? (empty: answer 401) */
  public Optional<UserInfo> user(String bearerToken) {
    AuthenticationResult who = authn.authenticate(TokenReview.builder().token(bearerToken).build());
    return who.authenticated() ? Optional.of(who.user()) : Optional.empty();
  }

  /** 2. May the user make this HTTP request? (false: answer 403) */
  public boolean allowed(UserInfo user, String method, String path, String query) {
    // the verb, resource, namespace... of the path, as kube-apiserver works them out
    SubjectAccessReview review = RequestAttributes.of(method, path, query).reviewFor(user);
    return authz.authorize(review).allowed();
  }

  /** 3. Is the object the user creates admitted, and how do the modules change it? */
  public AdmissionReview admitCreate(UserInfo user, String object) {
    return admission.admit(
        AdmissionReview.builder(Operation.CREATE).object(object).userInfo(user).build());
  }

  /** The same chains as kube-apiserver's webhooks: a review in, the answered review out. */
  public byte[] webhook(String endpoint, byte[] body) {
    // Json.read throws IllegalArgumentException for a bad body: answer it with 400
    return switch (endpoint) {
      case "/authenticate" -> {
        TokenReview review = Json.read(body, TokenReview.class);
        yield Json.write(authn.authenticate(review).respondTo(review)); // without the token
      }
      case "/authorize" -> {
        SubjectAccessReview review = Json.read(body, SubjectAccessReview.class);
        yield Json.write(authz.authorize(review).respondTo(review));
      }
      case "/admit" -> {
        AdmissionReview review = Json.read(body, AdmissionReview.class);
        yield Json.write(admission.admit(review).toWebhookResponse()); // without the request
      }
      default -> throw new IllegalArgumentException("no such endpoint: " + endpoint);
    };
  }

  public static void main(String[] args) {
    Path config = Path.of(args.length > 0 ? args[0] : "examples/config");
    // Load every module once, at startup: a broken module or configuration fails here with a
    // ConfigException listing every problem. The chains are thread-safe: share them between all
    // request threads, close them at shutdown (a closed chain throws IllegalStateException).
    try (AuthenticatorChain authn = Chains.authenticator(config.resolve("authentication.yaml"));
        AuthorizerChain authz = Chains.authorizer(config.resolve("authorization.yaml"));
        AdmissionChain admission = Chains.admission(config.resolve("admission.yaml"))) {
      AccessControl server = new AccessControl(authn, authz, admission);

      UserInfo user = server.user("magic-token").orElseThrow();
      System.out.println("user: " + user.username() + " " + user.groups());
      System.out.println(
          "GET configmaps: "
              + server.allowed(user, "GET", "/api/v1/namespaces/shop/configmaps", ""));
      System.out.println(
          "GET pods: " + server.allowed(user, "GET", "/api/v1/namespaces/shop/pods", ""));

      AdmissionReview answer =
          server.admitCreate(
              user,
              """
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings, namespace: shop}
              data: {colour: blue}
              """);
      System.out.println("create: allowed=" + answer.allowed());
      System.out.println(
          "patch: " + new String(answer.response().patchBytes(), StandardCharsets.UTF_8));

      SubjectAccessReview question =
          SubjectAccessReview.builder()
              .user("alice")
              .groups("magic-group")
              .resourceAttributes(
                  ResourceAttributes.builder().verb("delete").resource("configmaps").build())
              .build();
      byte[] reply = server.webhook("/authorize", Json.write(question));
      System.out.println("webhook: " + new String(reply, StandardCharsets.UTF_8));
    }
  }
}
