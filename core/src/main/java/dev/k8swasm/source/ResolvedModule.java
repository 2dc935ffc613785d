package dev.k8swasm.source;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A module made available locally: the reference it was asked for, the file holding its bytes and,
 * when known, the content digest ({@code sha256:...}) it was checked against.
 *
 * @param reference the reference as asked for
 * @param path the local file with the module's bytes
 * @param digest the module's digest, when the source knows one
 */
public record ResolvedModule(ModuleReference reference, Path path, Optional<String> digest) {

  /** Checks that no component is null. */
  public ResolvedModule {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(digest, "digest");
  }
}
