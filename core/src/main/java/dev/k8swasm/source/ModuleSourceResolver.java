package dev.k8swasm.source;

import java.util.Set;

/**
 * Service provider interface: fetches modules named by references of some URI {@link #schemes()}
 * (e.g. {@code registry}, {@code https}) into local files. Implementations are found with {@link
 * java.util.ServiceLoader} (see {@link ModuleSources}); register one in {@code
 * META-INF/services/dev.k8swasm.source.ModuleSourceResolver} or with {@code provides} in a module
 * descriptor. Implementations must be thread-safe.
 */
public interface ModuleSourceResolver {

  /** The URI schemes this resolver handles, in lower case, e.g. {@code registry}. */
  Set<String> schemes();

  /**
   * Makes the module available as a local file, fetching it when needed, and checks it (digest,
   * signatures) as {@code options} ask.
   *
   * @throws ModuleSourceException naming the reference and the cause when it cannot
   */
  ResolvedModule resolve(ModuleReference reference, SourceOptions options);
}
