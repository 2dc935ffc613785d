package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** A stub answering every call of one capability. */
public final class AnyRequestStub {
  private final HostCapabilityStubs owner;
  private final String capability;

  AnyRequestStub(HostCapabilityStubs owner, String capability) {
    this.owner = owner;
    this.capability = capability;
  }

  /** Answers with this JSON document (YAML or JSON text, a map, a tree). */
  public HostCapabilityStubs returns(Object answer) {
    JsonNode value = Stubs.tree(answer);
    return finish(r -> value.deepCopy());
  }

  /** The call fails with {@code message}. */
  public HostCapabilityStubs fails(String message) {
    return finish(Stub.failing(message));
  }

  private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
    owner.add(new Stub(capability, capability + " (any request)", r -> true, answer, -1));
    return owner;
  }
}
