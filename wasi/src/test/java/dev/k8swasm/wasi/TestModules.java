package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The guest modules used by the tests, and a cache of modules loaded with default settings. */
final class TestModules {
  static final Path EXAMPLES = Path.of("..", "examples", "modules");
  static final Path HOSTILE = EXAMPLES.resolve("hostile");

  private static final Map<String, PolicyModule> SHARED = new ConcurrentHashMap<>();

  private TestModules() {}

  /** One of the example modules, e.g. {@code magic_authenticator}. */
  static Path example(String name) {
    return existing(EXAMPLES.resolve(name + ".wasm"));
  }

  /** One of the hostile modules, e.g. {@code loop_br_if}. */
  static Path hostile(String name) {
    return existing(HOSTILE.resolve(name + ".wasm"));
  }

  /** A module of this test suite (src/test/resources/modules), e.g. {@code echo}. */
  static Path own(String name) {
    try {
      return Path.of(TestModules.class.getResource("/modules/" + name + ".wasm").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A spec for {@code path}, named after the file, with {@link #RELAXED} limits. */
  static ModuleSpec.Builder spec(Path path, Engine engine) {
    String file = path.getFileName().toString();
    return ModuleSpec.builder(file.substring(0, file.length() - ".wasm".length()))
        .path(path)
        .engine(engine)
        .limits(RELAXED);
  }

  /**
   * Limits for tests that do not test the deadline: the defaults with a timeout long enough for a
   * slow, busy machine.
   */
  static final Limits RELAXED = Limits.builder().timeout(Duration.ofMinutes(1)).build();

  /** Loads {@code path} with {@link #RELAXED} limits; shared by all tests, never closed. */
  static PolicyModule shared(Path path, Engine engine) {
    return SHARED.computeIfAbsent(path + "@" + engine, k -> load(spec(path, engine).build()));
  }

  /** Loads {@code path} with these limits. */
  static PolicyModule load(Path path, Engine engine, Limits limits) {
    return load(spec(path, engine).limits(limits).build());
  }

  static PolicyModule load(ModuleSpec spec) {
    return new WasiModuleRuntime().load(spec);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Path existing(Path path) {
    assertThat(Files.isRegularFile(path)).as("test module %s exists", path).isTrue();
    return path;
  }
}
