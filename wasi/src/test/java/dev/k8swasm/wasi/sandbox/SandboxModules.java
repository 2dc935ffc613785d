package dev.k8swasm.wasi.sandbox;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/** The sandbox tests' modules (src/test/resources/sandbox) and specs for them. */
final class SandboxModules {
  static final Limits RELAXED = Limits.builder().timeout(Duration.ofMinutes(1)).build();
  static final Path EXAMPLES = Path.of("..", "examples", "modules");

  private SandboxModules() {}

  static Path path(String name) {
    try {
      return Path.of(SandboxModules.class.getResource("/sandbox/" + name + ".wasm").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ModuleSpec spec(Path path, Engine engine, InstanceStrategy strategy) {
    String file = path.getFileName().toString();
    return ModuleSpec.builder(file.substring(0, file.length() - ".wasm".length()))
        .path(path)
        .engine(engine)
        .strategy(strategy)
        .limits(RELAXED)
        .build();
  }

  static ModuleSpec spec(String name, Engine engine, InstanceStrategy strategy) {
    return spec(path(name), engine, strategy);
  }
}
