package dev.k8swasm.wasi;

import static dev.k8swasm.wasi.TestModules.utf8;

/** Review documents as the module contract's callers send them (also for the reliability tests). */
public final class Requests {
  private Requests() {}

  public static byte[] tokenReview(String token) {
    return utf8(
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
            + "\"spec\":{\"token\":\""
            + token
            + "\",\"audiences\":[\"https://kubernetes.default.svc.cluster.local\"]}}");
  }

  static byte[] subjectAccessReview(String group, String resource) {
    return subjectAccessReview("magic-user", group, resource);
  }

  /** A SubjectAccessReview of {@code user} in {@code group} listing {@code resource}. */
  public static byte[] subjectAccessReview(String user, String group, String resource) {
    return utf8(
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
            + "\"spec\":{\"user\":\""
            + user
            + "\",\"groups\":[\""
            + group
            + "\",\"system:authenticated\"],\"resourceAttributes\":{\"namespace\":\"default\","
            + "\"verb\":\"list\",\"version\":\"v1\",\"resource\":\""
            + resource
            + "\"}}}");
  }

  static byte[] nonResourceAccessReview() {
    return utf8(
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
            + "\"spec\":{\"user\":\"magic-user\",\"groups\":[\"magic-group\"],"
            + "\"nonResourceAttributes\":{\"path\":\"/healthz\",\"verb\":\"get\"}}}");
  }

  /**
   * An AdmissionReview creating a ConfigMap with {@code data} (a JSON object, or null for none).
   */
  public static byte[] admissionReview(String uid, String data) {
    return utf8(
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
            + "\"uid\":\""
            + uid
            + "\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"ConfigMap\"},"
            + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"configmaps\"},"
            + "\"name\":\"cm\",\"namespace\":\"default\",\"operation\":\"CREATE\","
            + "\"userInfo\":{\"username\":\"magic-user\"},"
            + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
            + "\"metadata\":{\"name\":\"cm\",\"namespace\":\"default\"}"
            + (data == null ? "" : ",\"data\":" + data)
            + "}}}");
  }
}
