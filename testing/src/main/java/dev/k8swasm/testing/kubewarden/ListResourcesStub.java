package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** A stubbed {@code list_resources_*}. */
public final class ListResourcesStub {
  private final HostCapabilityStubs owner;
  private final String apiVersion;
  private final String kind;
  private String namespace;
  private String labelSelector;
  private String fieldSelector;

  ListResourcesStub(HostCapabilityStubs owner, String apiVersion, String kind) {
    this.owner = owner;
    this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** Stubs {@code list_resources_by_namespace} in {@code namespace}. */
  public ListResourcesStub inNamespace(String namespace) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    return this;
  }

  /** Only when the policy asks with this label selector (default: any). */
  public ListResourcesStub withLabelSelector(String labelSelector) {
    this.labelSelector = labelSelector;
    return this;
  }

  /** Only when the policy asks with this field selector (default: any). */
  public ListResourcesStub withFieldSelector(String fieldSelector) {
    this.fieldSelector = fieldSelector;
    return this;
  }

  /** Answers with these objects (each YAML or JSON text, a map, a tree, a model object). */
  public HostCapabilityStubs returns(Object... items) {
    List<JsonNode> list = new ArrayList<>();
    for (Object item : items) {
      list.add(Stubs.tree(item));
    }
    return finish(r -> list.stream().map(JsonNode::deepCopy).toList());
  }

  /** The listing fails with {@code message}. */
  public HostCapabilityStubs fails(String message) {
    return finish(Stub.failing(message));
  }

  private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
    ObjectNode want =
        JsonNodeFactory.instance.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    if (namespace != null) {
      want.put("namespace", namespace);
    }
    if (labelSelector != null) {
      want.put("labelSelector", labelSelector);
    }
    if (fieldSelector != null) {
      want.put("fieldSelector", fieldSelector);
    }
    String capability = namespace != null ? Stub.LIST_BY_NAMESPACE : Stub.LIST_ALL;
    owner.add(
        new Stub(
            capability,
            capability + " " + Json.writeString(want),
            r -> Stubs.contains(r, want),
            answer,
            -1));
    return owner;
  }
}
