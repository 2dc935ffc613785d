package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/** What answers one kind of host capability call: a matcher, an answer and how often it may. */
final class Stub {
  static final String DNS = "net/v1/dns_lookup_host";
  static final String GET_RESOURCE = "kubernetes/get_resource";
  static final String LIST_BY_NAMESPACE = "kubernetes/list_resources_by_namespace";
  static final String LIST_ALL = "kubernetes/list_resources_all";
  static final String CAN_I = "kubernetes/can_i";
  static final String MANIFEST_DIGEST = "oci/v1/manifest_digest";
  static final String MANIFEST = "oci/v1/oci_manifest";
  static final String MANIFEST_CONFIG = "oci/v1/oci_manifest_config";
  static final String VERIFY = "oci/verify";
  static final String CERTIFICATE = "crypto/v1/is_certificate_trusted";

  private final String capability;
  private final String description;
  private final Predicate<JsonNode> matcher;
  private final Function<JsonNode, Object> answer;
  private final int uses;
  private int usesLeft;

  Stub(
      String capability,
      String description,
      Predicate<JsonNode> matcher,
      Function<JsonNode, Object> answer,
      int uses) {
    this.capability = capability;
    this.description = description;
    this.matcher = matcher;
    this.answer = answer;
    this.uses = uses;
    this.usesLeft = uses;
  }

  String capability() {
    return capability;
  }

  String description() {
    return description;
  }

  Predicate<JsonNode> matcher() {
    return matcher;
  }

  Function<JsonNode, Object> answer() {
    return answer;
  }

  /** Uses left; negative means unlimited. */
  int usesLeft() {
    return usesLeft;
  }

  void use() {
    if (usesLeft > 0) {
      usesLeft--;
    }
  }

  Stub fresh() {
    return new Stub(capability, description, matcher, answer, uses);
  }

  /** An answer that fails the call with {@code message}, which the policy sees. */
  static Function<JsonNode, Object> failing(String message) {
    Objects.requireNonNull(message, "message");
    return r -> {
      throw new HostCapabilityException(message);
    };
  }
}
