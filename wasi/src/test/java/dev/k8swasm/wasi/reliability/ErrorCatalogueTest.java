package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3, error model: the catalogue of the module specification (section 11 and 11.1) names every
 * {@link FailureReason}, and each reason the WASI runtime and the library report is produced here -
 * reason, how it is produced, what is asserted - with a message of a documented form.
 */
class ErrorCatalogueTest {
  private static final Path SPEC = Path.of("..", "spec", "module-spec.md");
  private static final String TABLE = "Error catalogue: every reason produced";

  /** Reasons no test here can produce, and why. */
  private static final Map<FailureReason, String> NOT_PRODUCED_HERE =
      Map.of(
          FailureReason.INVALID_SETTINGS,
          "reported by the Kubewarden runtime only (validate_settings); produced by the CLI's"
              + " ErrorCatalogueCliTest when that runtime is on the class path",
          FailureReason.HOST_ERROR,
          "reserved: no runtime reports it yet (spec 11.1)",
          FailureReason.INTERNAL,
          "a host bug: never expected; the fuzz tests fail on it");

  static {
    ReliabilityReport.columns(TABLE, "reason", "produced by", "engine");
  }

  private static Map<FailureReason, List<Pattern>> documented;

  @BeforeAll
  static void readTheCatalogue() throws IOException {
    documented = catalogue(Files.readString(SPEC));
  }

  /** Reason -> the DETAIL forms of spec section 11.1, as patterns. */
  static Map<FailureReason, List<Pattern>> catalogue(String spec) {
    int start = spec.indexOf("### 11.1 Messages");
    assertThat(start).as("spec section 11.1 Messages").isNotNegative();
    int end = spec.indexOf("\n## ", start);
    Map<FailureReason, List<Pattern>> forms = new EnumMap<>(FailureReason.class);
    Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| (.*) \\|$").matcher(spec);
    row.region(start, end);
    while (row.find()) {
      FailureReason reason = FailureReason.valueOf(row.group(1));
      List<Pattern> patterns = new ArrayList<>();
      Matcher code = Pattern.compile("`([^`]+)`").matcher(row.group(2));
      while (code.find()) {
        patterns.add(form(code.group(1)));
      }
      forms.put(reason, patterns);
    }
    return forms;
  }

  /** A documented form as a pattern: {@code <...>} matches any text; a stderr note may follow. */
  static Pattern form(String text) {
    StringBuilder regex = new StringBuilder("^");
    Matcher placeholder = Pattern.compile("<[^<>]+>").matcher(text);
    int at = 0;
    while (placeholder.find()) {
      regex.append(Pattern.quote(text.substring(at, placeholder.start()))).append(".*?");
      at = placeholder.end();
    }
    regex.append(Pattern.quote(text.substring(at))).append("(; stderr: .*)?$");
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  @Test
  void theSpecificationDocumentsEveryReasonAndNothingElse() throws IOException {
    String spec = Files.readString(SPEC);
    String errors = spec.substring(spec.indexOf("## 11. Errors"), spec.indexOf("### 11.1"));
    for (FailureReason reason : FailureReason.values()) {
      assertThat(errors).as("section 11 table").contains("| `" + reason + "` |");
      assertThat(documented).as("section 11.1").containsKey(reason);
      if (reason != FailureReason.HOST_ERROR) { // reserved, no form yet
        assertThat(documented.get(reason)).as("forms of %s", reason).isNotEmpty();
      }
    }
    assertThat(documented).hasSize(FailureReason.values().length);
  }

  @Test
  void documentedFormsMatchWhatTheyShould() {
    assertThat(form("exited with code <code>").matcher("exited with code 3").matches()).isTrue();
    assertThat(form("exited with code <code>").matcher("exited with code 3; stderr: x").matches())
        .isTrue();
    assertThat(form("exited with code <code>").matcher("exit code 3").matches()).isFalse();
    assertThat(form("a <b> c").matcher("a  c").matches()).isTrue();
  }

  /** How one reason is produced. */
  interface Producer {
    ModuleException produce(Engine engine) throws Exception;
  }

  private static Arguments row(FailureReason reason, String how, Producer producer) {
    return Arguments.of(reason, how, producer);
  }

  static Stream<Arguments> producers() {
    Limits deadline = Limits.builder().timeout(Duration.ofMillis(100)).build();
    return Stream.of(
        row(
            FailureReason.TIMEOUT,
            "loop_br_if, 100 ms deadline",
            e -> fails(Guests.hostile("loop_br_if"), e, deadline, ReviewKind.AUTHORIZATION)),
        row(
            FailureReason.TIMEOUT,
            "caller's thread already interrupted",
            e -> {
              PolicyModule m = Guests.shared(Guests.example("magic_authenticator"), e);
              Thread.currentThread().interrupt();
              try {
                return fails(m, ReviewKind.AUTHENTICATION);
              } finally {
                assertThat(Thread.interrupted()).as("interrupt left set").isTrue();
              }
            }),
        row(
            FailureReason.MEMORY_LIMIT,
            "memory_bomb, 2 MiB limit",
            e ->
                fails(
                    Guests.hostile("memory_bomb"),
                    e,
                    Guests.RELAXED.toBuilder().maxMemoryBytes(2L << 20).build(),
                    ReviewKind.ADMISSION)),
        row(
            FailureReason.OUTPUT_LIMIT,
            "stdout_flood",
            e -> fails(Guests.hostile("stdout_flood"), e, Guests.RELAXED, ReviewKind.ADMISSION)),
        row(
            FailureReason.OUTPUT_LIMIT,
            "shapeshifter mode-e (stderr flood)",
            e ->
                fails(
                    Guests.shared(Guests.own("shapeshifter"), e),
                    ReviewKind.AUTHENTICATION,
                    Guests.tokenReview("mode-e"))),
        row(
            FailureReason.TRAP,
            "trap (unreachable)",
            e -> fails(Guests.hostile("trap"), e, Guests.RELAXED, ReviewKind.AUTHENTICATION)),
        row(
            FailureReason.TRAP,
            "div_by_zero",
            e -> fails(Guests.hostile("div_by_zero"), e, Guests.RELAXED, ReviewKind.AUTHORIZATION)),
        row(
            FailureReason.TRAP,
            "deep_recursion, call depth 100",
            e ->
                fails(
                    Guests.hostile("deep_recursion"),
                    e,
                    Guests.RELAXED.toBuilder().maxCallDepth(100).build(),
                    ReviewKind.ADMISSION)),
        row(
            FailureReason.EXIT_CODE,
            "exit3",
            e -> fails(Guests.hostile("exit3"), e, Guests.RELAXED, ReviewKind.AUTHENTICATION)),
        row(
            FailureReason.EXIT_CODE,
            "stderr_then_exit1 (stderr note)",
            e ->
                fails(
                    Guests.hostile("stderr_then_exit1"),
                    e,
                    Guests.RELAXED,
                    ReviewKind.AUTHENTICATION)),
        row(
            FailureReason.BAD_OUTPUT,
            "garbage",
            e -> fails(Guests.hostile("garbage"), e, Guests.RELAXED, ReviewKind.AUTHENTICATION)),
        row(
            FailureReason.BAD_OUTPUT,
            "utf32_output (stdout not UTF-8)",
            e -> fails(Guests.own("utf32_output"), e, Guests.RELAXED, ReviewKind.AUTHENTICATION)),
        row(
            FailureReason.BAD_OUTPUT,
            "no_response",
            e -> fails(Guests.hostile("no_response"), e, Guests.RELAXED, ReviewKind.ADMISSION)),
        row(
            FailureReason.BAD_OUTPUT,
            "magic_mutator called as a validating hook",
            e -> {
              PolicyModule m = Guests.shared(Guests.example("magic_mutator"), e);
              AdmissionReview review =
                  Json.read(Guests.admissionReview("u1", "{}"), AdmissionReview.class);
              try {
                ModuleAdmissionController.validating(m).admit(review);
                return fail("a validating module's patch was accepted");
              } catch (ModuleException x) {
                assertThat(x.detail()).contains("may not return a patch");
                return x;
              }
            }),
        row(
            FailureReason.MODULE_ERROR,
            "error_set",
            e -> fails(Guests.hostile("error_set"), e, Guests.RELAXED, ReviewKind.AUTHORIZATION)),
        row(
            FailureReason.BAD_REQUEST,
            "a request that is not a JSON object",
            e ->
                fails(
                    Guests.shared(Guests.example("magic_authenticator"), e),
                    ReviewKind.AUTHENTICATION,
                    Guests.utf8("[1,2]"))),
        row(
            FailureReason.BAD_REQUEST,
            "a request over maxRequestBytes",
            e ->
                fails(
                    Guests.example("magic_authenticator"),
                    e,
                    Guests.RELAXED.toBuilder().maxRequestBytes(64).build(),
                    ReviewKind.AUTHENTICATION)),
        row(
            FailureReason.BAD_REQUEST,
            "an AdmissionReview without request (library)",
            e -> {
              PolicyModule m = Guests.shared(Guests.example("magic_validator"), e);
              AdmissionReview review =
                  Json.read(Guests.utf8("{\"kind\":\"AdmissionReview\"}"), AdmissionReview.class);
              try {
                ModuleAdmissionController.validating(m).admit(review);
                return fail("admitted a review without request");
              } catch (ModuleException x) {
                return x;
              }
            }),
        row(
            FailureReason.UNSUPPORTED,
            "magic_validator asked to authenticate",
            e ->
                fails(
                    Guests.shared(Guests.example("magic_validator"), e),
                    ReviewKind.AUTHENTICATION)),
        row(FailureReason.LOAD_FAILED, "not_wasm", e -> loadFails(Guests.hostile("not_wasm"), e)),
        row(FailureReason.LOAD_FAILED, "truncated", e -> loadFails(Guests.hostile("truncated"), e)),
        row(
            FailureReason.LOAD_FAILED,
            "bad_import",
            e -> loadFails(Guests.hostile("bad_import"), e)),
        row(
            FailureReason.LOAD_FAILED,
            "only_start (a command module)",
            e -> loadFails(Guests.hostile("only_start"), e)),
        row(
            FailureReason.CLOSED,
            "evaluating a closed module",
            e -> {
              PolicyModule m =
                  Guests.load(Guests.example("magic_authenticator"), e, Guests.RELAXED);
              m.close();
              return fails(m, ReviewKind.AUTHENTICATION);
            }));
  }

  static Stream<Arguments> producersOnBothEngines() {
    return producers()
        .flatMap(
            a ->
                Stream.of(Engine.values())
                    .map(e -> Arguments.of(a.get()[0], a.get()[1], e, a.get()[2])));
  }

  @ParameterizedTest(name = "{0} <- {1} ({2})")
  @MethodSource("producersOnBothEngines")
  void everyReasonIsProducedWithADocumentedMessage(
      FailureReason reason, String how, Engine engine, Producer producer) throws Exception {
    ModuleException e = producer.produce(engine);

    assertThat(e.reason()).as("%s: %s", how, e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage())
        .isEqualTo("module '" + e.moduleName() + "': " + e.detail() + " [" + reason + "]");
    assertThat(documented.get(reason))
        .as("a documented form of %s (spec 11.1) matching %s", reason, e.detail())
        .anySatisfy(p -> assertThat(p.matcher(e.detail()).matches()).isTrue());
    ReliabilityReport.count(TABLE, reason.name(), how, ReliabilityReport.name(engine));
  }

  @Test
  void everyReasonIsProducedOrExplained() {
    Set<FailureReason> produced =
        producers().map(a -> (FailureReason) a.get()[0]).collect(Collectors.toSet());
    Set<FailureReason> all = EnumSet.allOf(FailureReason.class);
    all.removeAll(produced);
    assertThat(all).isEqualTo(NOT_PRODUCED_HERE.keySet());
    NOT_PRODUCED_HERE.forEach(
        (reason, why) -> ReliabilityReport.count(TABLE, reason.name(), "not here: " + why, "-"));
  }

  // ------------------------------------------------------------------- helpers

  private static ModuleException fails(Path path, Engine engine, Limits limits, ReviewKind kind)
      throws Exception {
    try (PolicyModule m = Guests.load(path, engine, limits)) {
      return fails(m, kind);
    }
  }

  private static ModuleException fails(PolicyModule m, ReviewKind kind) {
    return fails(m, kind, Guests.request(kind));
  }

  private static ModuleException fails(PolicyModule m, ReviewKind kind, byte[] request) {
    try {
      return fail("%s answered %s", m.name(), m.evaluate(kind, request));
    } catch (ModuleException e) {
      assertThat(e.moduleName()).isEqualTo(m.name());
      return e;
    }
  }

  private static ModuleException loadFails(Path path, Engine engine) {
    ModuleSpec spec = Guests.spec(path, engine, Guests.RELAXED).build();
    try (PolicyModule m = ModuleRuntimes.load(spec)) {
      return fail("%s loaded: %s", path, m);
    } catch (ModuleException e) {
      assertThat(e.moduleName()).isEqualTo(spec.name());
      return e;
    }
  }

  static List<String> names(FailureReason... reasons) {
    return Arrays.stream(reasons).map(Enum::name).toList();
  }
}
