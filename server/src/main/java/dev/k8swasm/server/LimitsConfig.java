package dev.k8swasm.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code limits} object of the configuration file: one key per component of {@link
 * ServerLimits}, read and checked with the file, applied over the defaults when the server starts.
 */
final class LimitsConfig {
  /** The keys: the components of {@link ServerLimits}. */
  static final List<String> KEYS =
      Arrays.stream(ServerLimits.class.getRecordComponents())
          .map(RecordComponent::getName)
          .toList();

  private LimitsConfig() {}

  /** The {@code limits} object: typed values by key, each checked against {@link ServerLimits}. */
  static Map<String, Object> read(JsonNode root, String where, List<String> problems) {
    JsonNode node = root.get("limits");
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      problems.add(where + ": field 'limits': expected an object");
      return out;
    }
    String at = where + ": limits";
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      Class<?> type =
          Arrays.stream(ServerLimits.class.getRecordComponents())
              .filter(c -> c.getName().equals(key))
              .map(RecordComponent::getType)
              .findFirst()
              .orElse(null);
      Object value;
      if (type == null) {
        problems.add(
            at + ": unknown field '" + key + "' (expected one of " + String.join(", ", KEYS) + ")");
        continue;
      } else if (type == Duration.class) {
        value = ServerConfig.duration(node, key, at, problems, false);
      } else if (type == long.class) {
        value = ServerConfig.size(node, key, at, problems);
      } else {
        value =
            key.equals("moduleQueueSize")
                ? ServerConfig.nonNegative(node, key, at, problems)
                : ServerConfig.positive(node, key, at, problems);
      }
      if (value != null) {
        out.put(key, value);
      }
    }
    try {
      apply(out, ServerLimits.defaults(1, 0).toBuilder()).build();
    } catch (IllegalArgumentException e) {
      problems.add(at + ": " + e.getMessage());
    }
    return out;
  }

  /** Applies the {@code limits} read from a file to {@code b}. */
  static ServerLimits.Builder apply(Map<String, Object> limits, ServerLimits.Builder b) {
    limits.forEach(
        (key, v) -> {
          switch (key) {
            case "maxConnections" -> b.maxConnections((Integer) v);
            case "maxConnectionsPerClient" -> b.maxConnectionsPerClient((Integer) v);
            case "idleTimeout" -> b.idleTimeout((Duration) v);
            case "handshakeTimeout" -> b.handshakeTimeout((Duration) v);
            case "bodyTimeout" -> b.bodyTimeout((Duration) v);
            case "maxHeaderBytes" -> b.maxHeaderBytes((Integer) v);
            case "ioThreads" -> b.ioThreads((Integer) v);
            case "maxStreamsPerConnection" -> b.maxStreamsPerConnection((Integer) v);
            case "moduleConcurrency" -> b.moduleConcurrency((Integer) v);
            case "moduleQueueSize" -> b.moduleQueueSize((Integer) v);
            case "authenticationWorkers" -> b.authenticationWorkers((Integer) v);
            case "queueTimeout" -> b.queueTimeout((Duration) v);
            case "retryAfter" -> b.retryAfter((Duration) v);
            case "maxConfigBytes" -> b.maxConfigBytes((Long) v);
            case "maxModuleBytes" -> b.maxModuleBytes((Long) v);
            default -> throw new IllegalStateException("unhandled limit " + key);
          }
        });
    return b;
  }
}
