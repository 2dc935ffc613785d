package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** A stubbed {@code get_resource}. */
public final class GetResourceStub {
  private final HostCapabilityStubs owner;
  private final String apiVersion;
  private final String kind;
  private final String name;
  private String namespace;

  GetResourceStub(HostCapabilityStubs owner, String apiVersion, String kind, String name) {
    this.owner = owner;
    this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The object is in {@code namespace}. */
  public GetResourceStub inNamespace(String namespace) {
    this.namespace = namespace;
    return this;
  }

  /** Answers with {@code object} (YAML or JSON text, a map, a tree, a model object). */
  public HostCapabilityStubs returns(Object object) {
    JsonNode found = Stubs.tree(object);
    return finish(r -> Optional.of(found.deepCopy()));
  }

  /** The object does not exist. */
  public HostCapabilityStubs notFound() {
    return finish(r -> Optional.empty());
  }

  /** The lookup fails with {@code message}. */
  public HostCapabilityStubs fails(String message) {
    return finish(Stub.failing(message));
  }

  private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
    ObjectNode want =
        JsonNodeFactory.instance
            .objectNode()
            .put("apiVersion", apiVersion)
            .put("kind", kind)
            .put("name", name);
    if (namespace != null) {
      want.put("namespace", namespace);
    }
    owner.add(
        new Stub(
            Stub.GET_RESOURCE,
            Stub.GET_RESOURCE + " " + Json.writeString(want),
            want::equals,
            answer,
            -1));
    return owner;
  }
}
