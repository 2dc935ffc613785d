package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads test fixtures: requests, objects and settings kept in YAML or JSON files.
 *
 * <p>A location is a path relative to the project directory (e.g. {@code
 * src/test/resources/requests/pod.yaml}), an absolute path, or a class path resource (e.g. {@code
 * requests/pod.yaml} for that same file).
 *
 * <pre>{@code
 * AdmissionReview review = Fixtures.admissionReview("requests/pod-create.json");
 * JsonNode pod = Fixtures.load("objects/pod.yaml");
 * }</pre>
 */
public final class Fixtures {
  private Fixtures() {}

  /**
   * The YAML or JSON document at {@code location}.
   *
   * @throws IllegalArgumentException when it is not found (the message says where it looked) or is
   *     not valid YAML or JSON
   */
  public static JsonNode load(String location) {
    Location found = Location.of(location);
    try {
      return Trees.parse(found.read());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(found + ": " + e.getMessage(), e);
    }
  }

  /** The document at {@code location} read as {@code type} (a wire type or any Jackson type). */
  public static <T> T load(String location, Class<T> type) {
    try {
      return Json.convert(load(location), type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(location + ": " + e.getMessage(), e);
    }
  }

  /** The text at {@code location} (UTF-8). */
  public static String text(String location) {
    return new String(bytes(location), StandardCharsets.UTF_8);
  }

  /** The bytes at {@code location}. */
  public static byte[] bytes(String location) {
    return Location.of(location).read();
  }

  /**
   * The file at {@code location}.
   *
   * @throws IllegalArgumentException when it is not found or is a resource inside a jar
   */
  public static Path path(String location) {
    return Location.of(location).requireFile("a file is needed");
  }

  /**
   * The AdmissionReview at {@code location}; a file holding only an AdmissionRequest (as {@code
   * kwctl run} accepts) is wrapped in a v1 AdmissionReview.
   */
  public static AdmissionReview admissionReview(String location) {
    JsonNode node = load(location);
    try {
      if (node.has("request") || "AdmissionReview".equals(node.path("kind").asText())) {
        return Json.convert(node, AdmissionReview.class);
      }
      return AdmissionReview.of(Json.convert(node, AdmissionRequest.class));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(location + ": " + e.getMessage(), e);
    }
  }

  /** The TokenReview at {@code location}. */
  public static TokenReview tokenReview(String location) {
    return load(location, TokenReview.class);
  }

  /** The SubjectAccessReview at {@code location}. */
  public static SubjectAccessReview subjectAccessReview(String location) {
    return load(location, SubjectAccessReview.class);
  }
}
