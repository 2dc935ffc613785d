package dev.k8swasm.admission;

import java.util.Map;
import java.util.Optional;

/**
 * Looks up the labels of a namespace, for {@code namespaceSelector}s (e.g. from an informer cache).
 * Must be thread-safe.
 */
@FunctionalInterface
public interface NamespaceLabels {

  /** The labels of {@code namespace}, or empty when the namespace is unknown. */
  Optional<Map<String, String>> labels(String namespace);
}
