package dev.k8swasm.oci;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A module in the local store.
 *
 * @param reference the reference it was pulled as, e.g. {@code registry://host/repo:v1}
 * @param manifestDigest the manifest's digest for registry modules ({@code sha256:...})
 * @param digest the module's own digest ({@code sha256:...} of the Wasm bytes)
 * @param size the module's size in bytes
 * @param path the file holding the module
 * @param pulledAt when it was stored
 * @param annotations the manifest's annotations (empty for {@code https://} downloads)
 */
public record StoredModule(
    String reference,
    Optional<String> manifestDigest,
    String digest,
    long size,
    Path path,
    Instant pulledAt,
    Map<String, String> annotations) {

  /** Checks that no component is null and copies the annotations. */
  public StoredModule {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(pulledAt, "pulledAt");
    annotations = Map.copyOf(annotations);
  }
}
