package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.Function;

/** A stubbed OCI lookup of one image. */
public final class ImageStub {
  private final HostCapabilityStubs owner;
  private final String capability;
  private final String image;

  ImageStub(HostCapabilityStubs owner, String capability, String image) {
    this.owner = owner;
    this.capability = capability;
    this.image = Objects.requireNonNull(image, "image");
  }

  /**
   * Answers with {@code answer}: the digest ({@code sha256:...}) for a manifest digest, else the
   * JSON document (YAML or JSON text, a map, a tree).
   */
  public HostCapabilityStubs returns(Object answer) {
    Object value =
        capability.equals(Stub.MANIFEST_DIGEST) ? String.valueOf(answer) : Stubs.tree(answer);
    return finish(r -> value instanceof JsonNode n ? n.deepCopy() : value);
  }

  /** The lookup fails with {@code message}. */
  public HostCapabilityStubs fails(String message) {
    return finish(Stub.failing(message));
  }

  private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
    owner.add(
        new Stub(
            capability,
            capability + " \"" + image + "\"",
            r -> r.asText().equals(image),
            answer,
            -1));
    return owner;
  }
}
