package dev.k8swasm.source;

import java.nio.file.Files;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves {@link ModuleReference}s: local files directly, every other scheme with the {@link
 * ModuleSourceResolver} found for it by {@link ServiceLoader} (the way {@code ModuleRuntimes} finds
 * runtimes).
 */
public final class ModuleSources {
  private static volatile Map<String, ModuleSourceResolver> cache;

  private ModuleSources() {}

  /**
   * Makes the module of {@code reference} available as a local file.
   *
   * @throws ModuleSourceException naming the reference and the cause (for an unknown scheme: the
   *     artifact to add)
   */
  public static ResolvedModule resolve(ModuleReference reference, SourceOptions options) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(options, "options");
    if (reference.isLocal()) {
      var path = reference.localPath().orElseThrow();
      if (!Files.isRegularFile(path)) {
        throw new ModuleSourceException(
            reference.text(), Files.exists(path) ? "not a regular file" : "module file not found");
      }
      return ResolvedModule.of(reference, path);
    }
    return forScheme(reference).resolve(reference, options);
  }

  /** Whether a reference with {@code scheme} can be resolved here. */
  public static boolean supports(String scheme) {
    return ModuleReference.FILE.equals(scheme) || all().containsKey(scheme);
  }

  /** The schemes that can be resolved: {@code file} and those of the resolvers found. */
  public static Set<String> schemes() {
    Set<String> schemes = new TreeSet<>(all().keySet());
    schemes.add(ModuleReference.FILE);
    return schemes;
  }

  /**
   * The resolver for {@code reference}'s scheme.
   *
   * @throws ModuleSourceException naming the artifact to add when there is none
   */
  public static ModuleSourceResolver forScheme(ModuleReference reference) {
    ModuleSourceResolver resolver = all().get(reference.scheme());
    if (resolver == null) {
      throw new ModuleSourceException(reference.text(), unsupported(reference.scheme()));
    }
    return resolver;
  }

  /** The message for a scheme nothing handles, naming what to add. */
  public static String unsupported(String scheme) {
    String hint =
        switch (scheme) {
          case "registry", "https", "http" -> " (add dev.k8swasm:k8s-wasm-oci to the class path)";
          default -> "";
        };
    return "no module source for scheme '" + scheme + "'" + hint + "; supported: " + schemes();
  }

  private static Map<String, ModuleSourceResolver> all() {
    Map<String, ModuleSourceResolver> found = cache;
    if (found == null) {
      found = new TreeMap<>();
      for (ModuleSourceResolver r :
          ServiceLoader.load(ModuleSourceResolver.class, ModuleSources.class.getClassLoader())) {
        for (String s : r.schemes()) {
          found.putIfAbsent(s, r);
        }
      }
      cache = found;
    }
    return found;
  }
}
