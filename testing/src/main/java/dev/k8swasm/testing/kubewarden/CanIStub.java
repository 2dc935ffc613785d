package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.json.Json;
import java.util.function.Function;

/** A stubbed {@code can_i}; every field not set matches any value. */
public final class CanIStub {
  private final HostCapabilityStubs owner;
  private final ObjectNode want = JsonNodeFactory.instance.objectNode();

  CanIStub(HostCapabilityStubs owner) {
    this.owner = owner;
  }

  public CanIStub user(String user) {
    want.put("user", user);
    return this;
  }

  public CanIStub verb(String verb) {
    want.put("verb", verb);
    return this;
  }

  public CanIStub resource(String resource) {
    want.put("resource", resource);
    return this;
  }

  /** The API group of the resource ({@code ""} for the core group). */
  public CanIStub apiGroup(String group) {
    want.put("group", group);
    return this;
  }

  public CanIStub namespace(String namespace) {
    want.put("namespace", namespace);
    return this;
  }

  public CanIStub name(String name) {
    want.put("name", name);
    return this;
  }

  public CanIStub subresource(String subresource) {
    want.put("subresource", subresource);
    return this;
  }

  /** Allowed. */
  public HostCapabilityStubs allowed() {
    return allowed("");
  }

  /** Allowed, with a reason. */
  public HostCapabilityStubs allowed(String reason) {
    return finish(r -> AuthorizationDecision.allow(reason, "stub"));
  }

  /** Denied, with a reason. */
  public HostCapabilityStubs denied(String reason) {
    return finish(r -> AuthorizationDecision.deny(reason, "stub"));
  }

  /** Neither allowed nor denied. */
  public HostCapabilityStubs noOpinion() {
    return finish(r -> AuthorizationDecision.noOpinion(""));
  }

  /** The check fails with {@code message}. */
  public HostCapabilityStubs fails(String message) {
    return finish(Stub.failing(message));
  }

  private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
    ObjectNode copy = want.deepCopy();
    owner.add(
        new Stub(
            Stub.CAN_I,
            Stub.CAN_I + " " + (copy.isEmpty() ? "(any)" : Json.writeString(copy)),
            r -> Stubs.contains(r, copy),
            answer,
            -1));
    return owner;
  }
}
