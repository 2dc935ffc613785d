package dev.k8swasm.rego;

import dev.k8swasm.module.ModuleSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Rego test corpus in {@code examples/modules/rego} (see its README for origins). */
final class Corpus {
  private Corpus() {}

  static Path dir() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("examples/modules/rego"))) {
      dir = dir.getParent();
      if (dir == null) {
        throw new IllegalStateException(
            "examples/modules/rego not found above the working directory");
      }
    }
    return dir.resolve("examples/modules/rego");
  }

  static Path module(String relative) {
    return dir().resolve(relative);
  }

  static ModuleSpec spec(String relative) {
    return ModuleSpec.builder(relative.replaceAll(".*/|\\.wasm$", ""))
        .path(module(relative))
        .build();
  }
}
