package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.util.Objects;

/**
 * One host capability call a Kubewarden policy made during a test.
 *
 * @param capability the capability path, e.g. {@code net/v1/dns_lookup_host} or {@code
 *     kubernetes/get_resource}
 * @param request what the policy asked, as the host understood it (e.g. {@code "example.com"} or
 *     {@code {"apiVersion":"v1","kind":"Namespace","name":"default"}})
 * @param stubbed whether a stub answered it
 */
public record HostCall(String capability, JsonNode request, boolean stubbed) {

  public HostCall {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(request, "request");
    request = request.deepCopy();
  }

  @Override
  public String toString() {
    return capability + " " + Json.writeString(request);
  }
}
