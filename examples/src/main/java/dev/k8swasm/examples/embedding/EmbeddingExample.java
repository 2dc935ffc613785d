package dev.k8swasm.examples.embedding;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Operation;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.config.Chains;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Authentication, authorization and admission by WebAssembly modules, in one program. */
public class EmbeddingExample {

  public static void main(String[] args) {
    Path config = Path.of(args.length > 0 ? args[0] : "examples/config");
    // Load every module once, at startup: a broken module or configuration fails here.
    // The chains are thread-safe: share them between all request threads, close them at shutdown.
    try (AuthenticatorChain authn = Chains.authenticator(config.resolve("authentication.yaml"));
        AuthorizerChain authz = Chains.authorizer(config.resolve("authorization.yaml"));
        AdmissionChain admission = Chains.admission(config.resolve("admission.yaml"))) {

      // 1. Who is this? (the bearer token of a request)
      AuthenticationResult who = authn.authenticate(TokenReview.forToken("magic-token", List.of()));
      if (!who.authenticated()) {
        throw new IllegalStateException("not authenticated: " + who.errorMessage());
      }
      UserInfo user = who.user();
      System.out.println("authenticated as " + user.username() + " " + user.groups());

      // 2. May they list the ConfigMaps of namespace "shop"?
      SubjectAccessReview question =
          SubjectAccessReview.builder()
              .userInfo(user)
              .resourceAttributes(
                  ResourceAttributes.builder()
                      .verb("list")
                      .resource("configmaps")
                      .namespace("shop")
                      .build())
              .build();
      AuthorizationDecision decision = authz.authorize(question);
      System.out.println(
          "list configmaps: " + decision.decision() + " (" + decision.reason() + ")");

      // 3. May they create this ConfigMap, and how do the modules change it?
      String configMap =
          """
          {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "settings", "namespace": "shop"},
           "data": {"colour": "blue"}}
          """;
      // kind, resource, name, namespace and a uid come from the object, as kube-apiserver sends
      // them
      AdmissionReview request =
          AdmissionReview.builder(Operation.CREATE).object(configMap).userInfo(user).build();
      AdmissionReview answered = admission.admit(request);
      AdmissionResponse response = answered.response();
      System.out.println("create configmap: allowed=" + answered.allowed());
      if (response.patch() != null) {
        System.out.println("patch: " + new String(response.patchBytes(), StandardCharsets.UTF_8));
      }
    }
  }
}
