package dev.k8swasm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The modules and requests of the scenarios, from the repository's {@code examples} folder (found
 * from the working directory, or the system property {@code k8swasm.root}).
 */
public final class Fixtures {
  private Fixtures() {}

  /** The repository root. */
  public static Path root() {
    String configured = System.getProperty("k8swasm.root");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples/modules"))
          && Files.isDirectory(p.resolve("wasi"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root from " + dir + "; set -Dk8swasm.root=...");
  }

  public static Path module(String relative) {
    return existing(root().resolve("examples/modules").resolve(relative));
  }

  public static Path benchModule(String name) {
    return existing(root().resolve("benchmarks/modules").resolve(name));
  }

  public static Path request(String relative) {
    return existing(root().resolve("examples/requests").resolve(relative));
  }

  /** The request file as compact JSON bytes. */
  public static byte[] compact(Path file) {
    return Json.write(read(file));
  }

  public static JsonNode read(Path file) {
    try {
      return Json.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A ConfigMap CREATE AdmissionReview whose {@code data} holds about {@code bytes} bytes (keys
   * {@code key-0000}... with 1 KiB values).
   */
  public static JsonNode largeConfigMap(int bytes) {
    ObjectNode review = (ObjectNode) read(request("admission-configmap-create.json"));
    ObjectNode data = ((ObjectNode) review.path("request").path("object")).putObject("data");
    String value = "v".repeat(1024);
    for (int i = 0; i * 1034 < bytes; i++) {
      data.put(String.format("key-%05d", i), value);
    }
    return review;
  }

  private static Path existing(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("missing benchmark input " + path);
    }
    return path;
  }
}
