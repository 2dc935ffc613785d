package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * A Kubernetes {@code metav1.Status}, the result details of a denied admission request.
 *
 * @param apiVersion usually absent inside an AdmissionResponse
 * @param kind usually absent inside an AdmissionResponse
 * @param metadata list metadata, kept as received
 * @param status {@code Success} or {@code Failure}
 * @param message a human-readable description
 * @param reason a machine-readable reason such as {@code Forbidden}
 * @param details extended data, kept as received
 * @param code the HTTP status code
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(
    String apiVersion,
    String kind,
    JsonNode metadata,
    String status,
    String message,
    String reason,
    JsonNode details,
    Integer code,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public Status {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A status with a message and an HTTP code. */
  public static Status of(int code, String message) {
    return new Status(null, null, null, null, message, null, null, code, null);
  }

  /** A status with a message, a reason and an HTTP code. */
  public static Status of(int code, String reason, String message) {
    return new Status(null, null, null, null, message, reason, null, code, null);
  }

  /** A status with only a message (no code). */
  public static Status of(String message) {
    return new Status(null, null, null, null, message, null, null, null, null);
  }

  /**
   * A {@code Failure} status: an HTTP code, a machine-readable reason such as {@code Forbidden}
   * (may be null) and a message.
   */
  public static Status failure(int code, String reason, String message) {
    return new Status(null, null, null, "Failure", message, reason, null, code, null);
  }

  /** This status with {@code details} (extended data, kept as given; null for none). */
  public Status withDetails(JsonNode details) {
    return new Status(
        apiVersion, kind, metadata, status, message, reason, details, code, additionalProperties);
  }
}
