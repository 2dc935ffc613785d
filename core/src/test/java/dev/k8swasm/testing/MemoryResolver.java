package dev.k8swasm.testing;

import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ModuleSourceException;
import dev.k8swasm.source.ModuleSourceResolver;
import dev.k8swasm.source.ResolvedModule;
import dev.k8swasm.source.SourceOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ModuleSourceResolver} for core's tests, registered for the scheme {@code mem}: {@code
 * mem://NAME} resolves to the file {@link #put} registered under NAME, anything else fails.
 */
public final class MemoryResolver implements ModuleSourceResolver {
  private static final Map<String, Path> FILES = new ConcurrentHashMap<>();

  /** The options of every resolution, in order. */
  public static final List<SourceOptions> SEEN = new CopyOnWriteArrayList<>();

  /** Makes {@code mem://name} resolve to {@code file}. */
  public static void put(String name, Path file) {
    FILES.put(name, file);
  }

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public ResolvedModule resolve(ModuleReference reference, SourceOptions options) {
    SEEN.add(options);
    Path file = FILES.get(reference.text().substring("mem://".length()));
    if (file == null) {
      throw new ModuleSourceException(reference.text(), "no such module in memory");
    }
    return ResolvedModule.of(reference, file, "sha256:test");
  }
}
