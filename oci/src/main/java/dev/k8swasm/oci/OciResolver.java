package dev.k8swasm.oci;

import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ModuleSourceException;
import dev.k8swasm.source.ModuleSourceResolver;
import dev.k8swasm.source.ResolvedModule;
import dev.k8swasm.source.SourceOptions;
import java.util.Set;

/**
 * The {@link ModuleSourceResolver} of {@code registry://} and {@code https://} references, found by
 * {@link java.util.ServiceLoader}. Settings come from the {@link OciOptions} extension of the
 * {@link SourceOptions} (defaults when absent).
 */
public final class OciResolver implements ModuleSourceResolver {
  /** Used by {@link java.util.ServiceLoader}. */
  public OciResolver() {}

  @Override
  public Set<String> schemes() {
    return Set.of(OciReference.SCHEME, "https", "http");
  }

  @Override
  public ResolvedModule resolve(ModuleReference reference, SourceOptions options) {
    if (reference.scheme().equals("http")) {
      throw new ModuleSourceException(
          reference.text(),
          "plain http:// downloads are not supported; use https:// or registry://");
    }
    OciOptions oci = options.extension(OciOptions.class).orElseGet(OciOptions::defaults);
    Oci client;
    try {
      client = Oci.of(oci);
    } catch (IllegalArgumentException e) {
      throw new ModuleSourceException(reference.text(), e.getMessage(), e);
    }
    StoredModule m = client.resolve(reference.text(), options.pullPolicy());
    return ResolvedModule.of(reference, m.path(), m.digest());
  }
}
