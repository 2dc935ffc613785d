package dev.k8swasm.oci;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A module in the local store. */
public final class StoredModule {
  private final String reference;
  private final String manifestDigest;
  private final String digest;
  private final long size;
  private final Path path;
  private final Instant pulledAt;
  private final Map<String, String> annotations;

  StoredModule(
      String reference,
      Optional<String> manifestDigest,
      String digest,
      long size,
      Path path,
      Instant pulledAt,
      Map<String, String> annotations) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(pulledAt, "pulledAt");
    annotations = Map.copyOf(annotations);
    this.reference = reference;
    this.manifestDigest = manifestDigest.orElse(null);
    this.digest = digest;
    this.size = size;
    this.path = path;
    this.pulledAt = pulledAt;
    this.annotations = annotations;
  }

  /** The reference it was pulled as, e.g. {@code registry://host/repo:v1}. */
  public String reference() {
    return reference;
  }

  /** The manifest's digest for registry modules ({@code sha256:...}). */
  public Optional<String> manifestDigest() {
    return Optional.ofNullable(manifestDigest);
  }

  /** The module's own digest ({@code sha256:...} of the Wasm bytes). */
  public String digest() {
    return digest;
  }

  /** The module's size in bytes. */
  public long size() {
    return size;
  }

  /** The file holding the module. */
  public Path path() {
    return path;
  }

  /** When it was stored. */
  public Instant pulledAt() {
    return pulledAt;
  }

  /** The manifest's annotations (empty for {@code https://} downloads). */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** Checks that no component is null and copies the annotations. */
  @Override
  public boolean equals(Object other) {
    return other instanceof StoredModule o
        && Objects.equals(reference, o.reference)
        && Objects.equals(manifestDigest, o.manifestDigest)
        && Objects.equals(digest, o.digest)
        && size == o.size
        && Objects.equals(path, o.path)
        && Objects.equals(pulledAt, o.pulledAt)
        && Objects.equals(annotations, o.annotations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reference, manifestDigest, digest, size, path, pulledAt, annotations);
  }

  @Override
  public String toString() {
    return "StoredModule[reference="
        + reference
        + ", manifestDigest="
        + manifestDigest
        + ", digest="
        + digest
        + ", size="
        + size
        + ", path="
        + path
        + ", pulledAt="
        + pulledAt
        + ", annotations="
        + annotations
        + "]";
  }
}
