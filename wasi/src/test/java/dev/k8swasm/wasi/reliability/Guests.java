package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.wasi.Requests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guest modules and requests for the reliability tests. Uses only the public API ({@link
 * ModuleRuntimes}, {@link ModuleSpec}, {@link PolicyModule}), so the tests hold whatever the
 * runtime's internals look like.
 */
final class Guests {
  static final Path EXAMPLES = Path.of("..", "examples", "modules");
  static final Path HOSTILE = EXAMPLES.resolve("hostile");

  /** Limits for evaluations that must not be cut short by the deadline on a slow machine. */
  static final Limits RELAXED = Limits.builder().timeout(Duration.ofMinutes(1)).build();

  private static final Map<String, PolicyModule> SHARED = new ConcurrentHashMap<>();

  private Guests() {}

  /** An example module, e.g. {@code magic_authenticator}. */
  static Path example(String name) {
    return existing(EXAMPLES.resolve(name + ".wasm"));
  }

  /** A hostile module, e.g. {@code loop_br_if}. */
  static Path hostile(String name) {
    return existing(HOSTILE.resolve(name + ".wasm"));
  }

  /** A module of this test suite (src/test/resources/modules), e.g. {@code shapeshifter}. */
  static Path own(String name) {
    try {
      return Path.of(Guests.class.getResource("/modules/" + name + ".wasm").toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test module not found: " + name, e);
    }
  }

  static byte[] bytes(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A spec named after the file. */
  static ModuleSpec.Builder spec(Path path, Engine engine, Limits limits) {
    String file = path.getFileName().toString();
    return ModuleSpec.builder(file.substring(0, file.length() - ".wasm".length()))
        .path(path)
        .engine(engine)
        .limits(limits);
  }

  static PolicyModule load(Path path, Engine engine, Limits limits) {
    return ModuleRuntimes.load(spec(path, engine, limits).build());
  }

  /** {@code path} loaded with {@link #RELAXED} limits, shared by the reliability tests. */
  static PolicyModule shared(Path path, Engine engine) {
    return SHARED.computeIfAbsent(path + "@" + engine, k -> load(path, engine, RELAXED));
  }

  /** Limits with this deadline and the default memory and output limits. */
  static Limits deadline(Duration timeout) {
    return Limits.builder().timeout(timeout).build();
  }

  /** Evaluates the magic authenticator and checks that it authenticates: the host still works. */
  static void assertNormalEvaluationWorks(Engine engine) {
    JsonNode status =
        shared(example("magic_authenticator"), engine)
            .evaluate(ReviewKind.AUTHENTICATION, tokenReview("magic-token"))
            .path("status");
    assertThat(status.path("authenticated").asBoolean()).isTrue();
    assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] tokenReview(String token) {
    return Requests.tokenReview(token);
  }

  static byte[] subjectAccessReview(String user, String group, String resource) {
    return Requests.subjectAccessReview(user, group, resource);
  }

  /** An AdmissionReview creating a ConfigMap with {@code data} (JSON object text). */
  static byte[] admissionReview(String uid, String data) {
    return Requests.admissionReview(uid, data);
  }

  /** A request of {@code kind} that the magic modules answer normally. */
  static byte[] request(ReviewKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> tokenReview("t");
      case AUTHORIZATION -> subjectAccessReview("u", "g", "pods");
      case ADMISSION -> admissionReview("uid-1", "{}");
    };
  }

  private static Path existing(Path path) {
    assertThat(Files.isRegularFile(path)).as("test module %s exists", path).isTrue();
    return path;
  }
}
