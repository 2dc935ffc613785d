package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.ModuleAuthorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 3, fuzzing: random and mutated requests, random settings, byte-mutated and truncated
 * modules. Every case ends - under a hang guard - in a decision or in a {@code ModuleException}
 * naming the module, a {@code ConfigException} or an {@code IllegalArgumentException}, each with a
 * message; nothing else is thrown, and the JVM stays healthy (checked after all properties).
 *
 * <p>Requests go through both doors: the module's own {@link PolicyModule#evaluate} with the raw
 * bytes, and the typed path an API server uses (parse, then ModuleAuthenticator, ModuleAuthorizer
 * or an AdmissionChain). Modules are loaded with a 500 ms deadline. The tries are bounded so the
 * whole class takes well under a minute.
 */
class HostileInputPropertiesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Map<ReviewKind, PolicyModule> MODULES = new EnumMap<>(ReviewKind.class);
  private static final List<PolicyModule> OWNED = new ArrayList<>();
  private static ModuleAuthenticator authenticator;
  private static ModuleAuthorizer authorizer;
  private static AdmissionChain admission;

  @BeforeContainer
  static void load() {
    Limits limits = Limits.builder().timeout(Fuzz.DEADLINE).build();
    MODULES.put(ReviewKind.AUTHENTICATION, own("magic_authenticator", limits));
    MODULES.put(ReviewKind.AUTHORIZATION, own("magic_authorizer", limits));
    MODULES.put(ReviewKind.ADMISSION, own("magic_validator", limits));
    PolicyModule mutator = own("magic_mutator", limits);
    authenticator = ModuleAuthenticator.of(MODULES.get(ReviewKind.AUTHENTICATION));
    authorizer = ModuleAuthorizer.of(MODULES.get(ReviewKind.AUTHORIZATION));
    admission =
        AdmissionChain.builder()
            .add(
                AdmissionHook.builder("magic_mutator", ModuleAdmissionController.mutating(mutator))
                    .rules(RuleWithOperations.ALL)
                    .build())
            .add(
                AdmissionHook.builder(
                        "magic_validator",
                        ModuleAdmissionController.validating(MODULES.get(ReviewKind.ADMISSION)))
                    .rules(RuleWithOperations.ALL)
                    .build())
            .build();
  }

  private static PolicyModule own(String name, Limits limits) {
    PolicyModule m = Guests.load(Guests.example(name), Engine.COMPILER, limits);
    OWNED.add(m);
    return m;
  }

  /** The JVM is healthy after all the fuzzing: normal evaluations work, the heap is fine. */
  @AfterContainer
  static void jvmStaysHealthy() throws InterruptedException {
    try {
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      for (Engine engine : Engine.values()) {
        Guests.assertNormalEvaluationWorks(engine);
      }
      assertThat(
              authenticator
                  .authenticate(TokenReview.forToken("magic-token", List.of()))
                  .authenticated())
          .isTrue();
      long heap = StressTest.usedHeapAfterGc();
      ReliabilityReport.note(
          "Fuzz: after all properties the heap in use after GC is "
              + (heap >> 20)
              + " MiB;"
              + " normal evaluations work on both engines.");
      assertThat(heap).isLessThan(Runtime.getRuntime().maxMemory() / 2);
    } finally {
      OWNED.forEach(PolicyModule::close);
    }
  }

  // ---------------------------------------------------------------- requests

  @Property(
      tries = 150,
      shrinking = ShrinkingMode.OFF,
      afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void randomRequestBytes(@ForAll @Size(max = 600) byte[] bytes, @ForAll ReviewKind kind) {
    throughBothDoors("random request bytes", kind, bytes);
  }

  @Property(
      tries = 150,
      shrinking = ShrinkingMode.OFF,
      afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void randomJsonRequests(@ForAll("jsonDocuments") JsonNode document, @ForAll ReviewKind kind) {
    throughBothDoors("random JSON request", kind, Json.write(document));
  }

  @Property(
      tries = 250,
      shrinking = ShrinkingMode.OFF,
      afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void mutatedRequests(
      @ForAll ReviewKind kind, @ForAll("mutations") Tuple.Tuple2<String, Mutation> m) {
    byte[] valid = Guests.request(kind);
    byte[] mutated = m.get2().apply(valid);
    throughBothDoors("mutated request: " + m.get1(), kind, mutated);
  }

  /** A mutation of a valid request document. */
  interface Mutation {
    byte[] apply(byte[] valid);
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, Mutation>> mutations() {
    Arbitrary<Tuple.Tuple2<String, Mutation>> truncate =
        Arbitraries.doubles()
            .between(0, 1)
            .map(f -> Tuple.of("truncated", b -> java.util.Arrays.copyOf(b, (int) (b.length * f))));
    Arbitrary<Tuple.Tuple2<String, Mutation>> flip =
        Arbitraries.integers()
            .between(0, Integer.MAX_VALUE)
            .list()
            .ofMinSize(1)
            .ofMaxSize(6)
            .map(
                positions ->
                    Tuple.of(
                        "bytes flipped",
                        b -> {
                          byte[] copy = b.clone();
                          for (int p : positions) {
                            copy[p % copy.length] ^= (byte) (1 + (p >>> 8) % 255);
                          }
                          return copy;
                        }));
    Arbitrary<Tuple.Tuple2<String, Mutation>> wrongType =
        Combinators.combine(Arbitraries.of(KNOWN_FIELDS), jsonValues(3))
            .as(
                (field, value) ->
                    Tuple.of("wrong type in a known field", b -> replace(b, field, value)));
    Arbitrary<Tuple.Tuple2<String, Mutation>> deep =
        Combinators.combine(
                Arbitraries.of(KNOWN_FIELDS),
                Arbitraries.integers().between(10, 20_000),
                Arbitraries.of(true, false))
            .as(
                (field, depth, arrays) ->
                    Tuple.of(
                        "deeply nested (" + bucket(depth) + " levels)",
                        b -> replace(b, field, nested(depth, arrays))));
    Arbitrary<Tuple.Tuple2<String, Mutation>> huge =
        Combinators.combine(
                Arbitraries.of(KNOWN_FIELDS),
                Arbitraries.integers().between(1_000, 2_000_000),
                Arbitraries.of("x", "é", "\"", "\\", "\u0000", "😀"))
            .as(
                (field, length, c) ->
                    Tuple.of(
                        "huge string (" + bucket(length) + " chars)",
                        b -> replace(b, field, F.textNode(c.repeat(length)))));
    Arbitrary<Tuple.Tuple2<String, Mutation>> extra =
        jsonValues(3)
            .map(
                v ->
                    Tuple.of(
                        "unknown fields added",
                        b -> {
                          ObjectNode o = (ObjectNode) Json.readTree(b);
                          o.set("surprise", v);
                          o.set("status", v);
                          o.set("response", v);
                          return Json.write(o);
                        }));
    return Arbitraries.frequencyOf(
        Tuple.of(3, truncate),
        Tuple.of(3, flip),
        Tuple.of(4, wrongType),
        Tuple.of(2, deep),
        Tuple.of(1, huge),
        Tuple.of(1, extra));
  }

  /** JSON pointers of fields the library and the modules read. */
  private static final List<String> KNOWN_FIELDS =
      List.of(
          "/apiVersion",
          "/kind",
          "/spec",
          "/spec/token",
          "/spec/audiences",
          "/spec/user",
          "/spec/groups",
          "/spec/resourceAttributes",
          "/spec/resourceAttributes/resource",
          "/request",
          "/request/uid",
          "/request/kind",
          "/request/operation",
          "/request/object",
          "/request/object/data",
          "/request/userInfo");

  private static byte[] replace(byte[] document, String pointer, JsonNode value) {
    ObjectNode root = (ObjectNode) Json.readTree(document);
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
    if (parent instanceof ObjectNode o) {
      o.set(pointer.substring(slash + 1), value);
    } else {
      root.set(pointer.substring(1).replace('/', '_'), value);
    }
    return Json.write(root);
  }

  /**
   * {@code depth} nested arrays or objects, built as text (a tree that deep would overflow the
   * serialiser's stack).
   */
  private static JsonNode nested(int depth, boolean arrays) {
    return F.rawValueNode(
        new RawValue(
            arrays
                ? "[".repeat(depth) + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
  }

  private static String bucket(int n) {
    if (n < 100) {
      return "<100";
    }
    if (n < 1000) {
      return "<1k";
    }
    if (n < 10_000) {
      return "<10k";
    }
    if (n < 1_000_000) {
      return "<1M";
    }
    return ">=1M";
  }

  /**
   * Sends {@code request} to the magic module of {@code kind} directly, and parses it and sends it
   * through the typed API.
   */
  private static void throughBothDoors(String what, ReviewKind kind, byte[] request) {
    byte[] bytes = request;
    PolicyModule module = MODULES.get(kind);
    Fuzz.run(
        what + " -> PolicyModule.evaluate",
        Engine.COMPILER,
        module.name(),
        () -> {
          JsonNode answer = module.evaluate(kind, bytes);
          assertThat(answer.isObject()).isTrue();
          return "answer";
        });
    String typed =
        switch (kind) {
          case AUTHENTICATION -> "ModuleAuthenticator";
          case AUTHORIZATION -> "ModuleAuthorizer";
          case ADMISSION -> "AdmissionChain";
        };
    Fuzz.run(what + " -> " + typed, Engine.COMPILER, null, () -> typed(kind, bytes));
  }

  private static String typed(ReviewKind kind, byte[] bytes) {
    switch (kind) {
      case AUTHENTICATION -> {
        TokenReview review = Json.read(bytes, TokenReview.class);
        AuthenticationResult result = authenticator.authenticate(review);
        assertThat(result.errors()).allSatisfy(e -> assertThat(e).contains("magic_authenticator"));
        return result.authenticated()
            ? "authenticated"
            : result.errors().isEmpty() ? "not authenticated" : "not authenticated, error";
      }
      case AUTHORIZATION -> {
        SubjectAccessReview review = Json.read(bytes, SubjectAccessReview.class);
        AuthorizationDecision decision = authorizer.authorize(review);
        String label = decision.decision().name();
        if (decision.evaluationError() != null) {
          assertThat(decision.evaluationError()).contains("magic_authorizer");
          label += ", evaluationError";
        }
        return label;
      }
      default -> {
        AdmissionReview review = Json.read(bytes, AdmissionReview.class);
        AdmissionResponse response = admission.admit(review).response();
        assertThat(response).isNotNull();
        if (response.allowedOrFalse()) {
          return "allowed";
        }
        int code =
            response.status() == null || response.status().code() == null
                ? 0
                : response.status().code();
        if (code == 500) {
          assertThat(response.status().message()).contains("failed calling module");
        }
        return "denied " + code;
      }
    }
  }

  // ---------------------------------------------------------------- settings

  @Property(tries = 40, shrinking = ShrinkingMode.OFF, afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void randomSettings(
      @ForAll("anySettings") JsonNode settings,
      @ForAll ReviewKind kind,
      @ForAll("mostlyInterpreter") Engine engine) {
    String name = "magic-" + kind.name().toLowerCase(Locale.ROOT);
    String file =
        switch (kind) {
          case AUTHENTICATION -> "magic_authenticator";
          case AUTHORIZATION -> "magic_authorizer";
          case ADMISSION -> "magic_validator";
        };
    ModuleSpec spec =
        ModuleSpec.builder(name)
            .path(Guests.example(file))
            .engine(engine)
            .settings(settings)
            .limits(Limits.builder().timeout(Fuzz.DEADLINE).build())
            .build();
    Fuzz.run(
        "random settings",
        engine,
        name,
        () -> {
          try (PolicyModule m = ModuleRuntimes.load(spec)) {
            JsonNode answer =
                Fuzz.evaluate("random settings", engine, m, kind, Guests.request(kind));
            assertThat(answer.isObject()).isTrue();
            return "answer";
          }
        });
  }

  @Provide
  Arbitrary<JsonNode> anySettings() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, jsonValues(4)),
        Tuple.of(1, Arbitraries.integers().between(10, 5_000).map(d -> nested(d, d % 2 == 0))),
        Tuple.of(
            1,
            Arbitraries.integers()
                .between(1000, 500_000)
                .map(n -> (JsonNode) F.textNode("s".repeat(n)))));
  }

  @Provide
  Arbitrary<Engine> mostlyInterpreter() {
    // compiling costs a few hundred milliseconds per load; interpreting a load costs nothing
    return Arbitraries.frequency(Tuple.of(5, Engine.INTERPRETER), Tuple.of(1, Engine.COMPILER));
  }

  // ---------------------------------------------------------------- JSON

  @Provide
  Arbitrary<JsonNode> jsonDocuments() {
    return Arbitraries.oneOf(
        jsonValues(4),
        Combinators.combine(
                Arbitraries.of(
                    "TokenReview", "SubjectAccessReview", "AdmissionReview", "Pod", "", "token"),
                Arbitraries.of(
                    "authentication.k8s.io/v1",
                    "authorization.k8s.io/v1beta1",
                    "admission.k8s.io/v1",
                    "v1",
                    "x/y/z"),
                jsonValues(3),
                jsonValues(3))
            .as(
                (kind, apiVersion, spec, request) -> {
                  ObjectNode o = F.objectNode();
                  o.put("kind", kind);
                  o.put("apiVersion", apiVersion);
                  o.set("spec", spec);
                  o.set("request", request);
                  return o;
                }));
  }

  static Arbitrary<JsonNode> jsonValues(int depth) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(12).map(s -> (JsonNode) F.textNode(s)),
            Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
            Arbitraries.bigIntegers()
                .between(BigInteger.ONE.shiftLeft(80).negate(), BigInteger.ONE.shiftLeft(80))
                .map(b -> (JsonNode) F.numberNode(b)),
            Arbitraries.doubles().map(d -> (JsonNode) F.numberNode(d)),
            Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
            Arbitraries.just(F.nullNode()));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> inner = jsonValues(depth - 1);
    Arbitrary<String> keys =
        Arbitraries.oneOf(
            Arbitraries.of(
                "token",
                "spec",
                "request",
                "uid",
                "object",
                "data",
                "kind",
                "apiVersion",
                "settings",
                "response",
                "error",
                "audiences",
                "groups",
                "user"),
            Arbitraries.strings().all().ofMaxLength(6));
    Arbitrary<JsonNode> arrays =
        inner
            .list()
            .ofMaxSize(4)
            .map(
                l -> {
                  ArrayNode a = F.arrayNode();
                  l.forEach(a::add);
                  return (JsonNode) a;
                });
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(keys, inner)
            .ofMaxSize(4)
            .map(
                m -> {
                  ObjectNode o = F.objectNode();
                  m.forEach(o::set);
                  return (JsonNode) o;
                });
    return Arbitraries.oneOf(scalars, arrays, objects);
  }

  /** Bytes as UTF-8 text, for messages. */
  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
