package dev.k8swasm.source;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A module made available locally: the reference it was asked for, the file holding its bytes and,
 * when known, the content digest ({@code sha256:...}) it was checked against.
 */
public final class ResolvedModule {
  private final ModuleReference reference;
  private final Path path;
  private final String digest;

  private ResolvedModule(ModuleReference reference, Path path, String digest) {
    this.reference = Objects.requireNonNull(reference, "reference");
    this.path = Objects.requireNonNull(path, "path");
    this.digest = digest;
  }

  /** A module in {@code path}, with no digest known. */
  public static ResolvedModule of(ModuleReference reference, Path path) {
    return new ResolvedModule(reference, path, null);
  }

  /**
   * A module in {@code path} whose content was checked against {@code digest} ({@code sha256:...}).
   */
  public static ResolvedModule of(ModuleReference reference, Path path, String digest) {
    return new ResolvedModule(reference, path, Objects.requireNonNull(digest, "digest"));
  }

  /** The reference as asked for. */
  public ModuleReference reference() {
    return reference;
  }

  /** The local file with the module's bytes. */
  public Path path() {
    return path;
  }

  /** The module's digest, when the source knows one. */
  public Optional<String> digest() {
    return Optional.ofNullable(digest);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResolvedModule o
        && Objects.equals(reference, o.reference)
        && Objects.equals(path, o.path)
        && Objects.equals(digest, o.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reference, path, digest);
  }

  @Override
  public String toString() {
    return "ResolvedModule[reference=" + reference + ", path=" + path + ", digest=" + digest + "]";
  }
}
