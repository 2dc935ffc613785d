package dev.k8swasm.fabric8;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A custom resource class as an operator would have it, registered the fabric8 way in {@code
 * META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource} (test resources). Like
 * fabric8's own model classes (and its {@code CustomResource} base class) it opts out of the
 * kind-resolving deserialiser that {@code KubernetesResource} inherits, which would otherwise call
 * itself for ever.
 */
@JsonDeserialize(using = JsonDeserializer.None.class)
@Group("test.k8s-wasm.dev")
@Version("v1")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Gadget implements HasMetadata {
  private String apiVersion = "test.k8s-wasm.dev/v1";
  private String kind = "Gadget";
  private ObjectMeta metadata;
  private Spec spec;
  private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

  public Gadget() {}

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  @Override
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  public Spec getSpec() {
    return spec;
  }

  public void setSpec(Spec spec) {
    this.spec = spec;
  }

  @JsonAnyGetter
  public Map<String, Object> getAdditionalProperties() {
    return additionalProperties;
  }

  @JsonAnySetter
  public void setAdditionalProperty(String name, Object value) {
    additionalProperties.put(name, value);
  }

  /** The gadget's spec. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    private String colour;
    private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

    public String getColour() {
      return colour;
    }

    public void setColour(String colour) {
      this.colour = colour;
    }

    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
      return additionalProperties;
    }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) {
      additionalProperties.put(name, value);
    }
  }
}
