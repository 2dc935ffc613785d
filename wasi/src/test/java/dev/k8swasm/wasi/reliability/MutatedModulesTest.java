package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 3, fuzzing: byte-mutated and truncated modules. Each is loaded through {@code
 * ModuleRuntimes.load} and, when it loads, evaluated once with a 500 ms deadline: the outcome is a
 * decision, or a {@code ModuleException} naming the module (LOAD_FAILED at load, a reason of the
 * catalogue at evaluation) - never another exception, an {@code Error} or a hang.
 */
class MutatedModulesTest {
  /** The modules mutated: the magic C modules and WAT test modules of every shape. */
  private static final List<String> MODULES =
      List.of(
          "magic_validator",
          "magic_authenticator",
          "hostile/stateful",
          "hostile/loop_br_if",
          "hostile/memory_bomb",
          "hostile/deep_recursion",
          "hostile/stdout_flood",
          "hostile/exit0",
          "own/shapeshifter",
          "own/sandbox_probe");

  private static final Map<String, ReviewKind> KINDS =
      Map.of("magic_validator", ReviewKind.ADMISSION);

  private static final AtomicInteger CASE = new AtomicInteger();

  static Path path(String module) {
    if (module.startsWith("hostile/")) {
      return Guests.hostile(module.substring("hostile/".length()));
    }
    if (module.startsWith("own/")) {
      return Guests.own(module.substring("own/".length()));
    }
    return Guests.example(module);
  }

  static ReviewKind kind(String module) {
    return KINDS.getOrDefault(module, ReviewKind.AUTHENTICATION);
  }

  /** Loads {@code bytes} and evaluates them once; returns the outcome recorded. */
  static String loadAndEvaluate(String what, String module, byte[] bytes, Engine engine) {
    String name = "mutant-" + CASE.incrementAndGet();
    ModuleSpec spec =
        ModuleSpec.builder(name)
            .bytes(bytes)
            .engine(engine)
            .limits(Limits.builder().timeout(Fuzz.DEADLINE).maxMemoryBytes(16L << 20).build())
            .build();
    return Fuzz.run(
        what,
        engine,
        name,
        () -> {
          try (PolicyModule m = ModuleRuntimes.load(spec)) {
            ReviewKind kind = m.kinds().contains(kind(module)) ? kind(module) : first(m);
            if (kind == null) {
              return "loaded, exports nothing to call";
            }
            JsonNode answer = Fuzz.evaluate(what, engine, m, kind, Guests.request(kind));
            assertThat(answer.isObject()).isTrue();
            return "answer";
          }
        });
  }

  private static ReviewKind first(PolicyModule m) {
    return m.kinds().stream().findFirst().orElse(null);
  }

  // ---------------------------------------------------------------- byte mutations

  @Property(
      tries = 150,
      shrinking = ShrinkingMode.OFF,
      afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void byteMutatedModulesInterpreted(
      @ForAll("modules") String module,
      @ForAll("edits") List<Tuple.Tuple2<Integer, Integer>> edits) {
    mutateAndRun(module, edits, Engine.INTERPRETER);
  }

  /** Fewer tries: every mutant that still parses is compiled, which takes a while. */
  @Property(tries = 25, shrinking = ShrinkingMode.OFF, afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void byteMutatedModulesCompiled(
      @ForAll("smallModules") String module,
      @ForAll("edits") List<Tuple.Tuple2<Integer, Integer>> edits) {
    mutateAndRun(module, edits, Engine.COMPILER);
  }

  private static void mutateAndRun(
      String module, List<Tuple.Tuple2<Integer, Integer>> edits, Engine engine) {
    byte[] bytes = Guests.bytes(path(module));
    byte[] mutant = bytes.clone();
    for (Tuple.Tuple2<Integer, Integer> edit : edits) {
      // keep the 8-byte header most of the time: a broken header is rejected up front
      int at = edit.get1() % 20 == 0 ? edit.get1() % 8 : 8 + edit.get1() % (bytes.length - 8);
      mutant[at] = (byte) (edit.get2() == 256 ? mutant[at] ^ 0x80 : edit.get2());
    }
    loadAndEvaluate("byte-mutated module", module, mutant, engine);
  }

  @Provide
  Arbitrary<String> modules() {
    return Arbitraries.of(MODULES);
  }

  @Provide
  Arbitrary<String> smallModules() {
    return Arbitraries.of(
        MODULES.stream()
            .filter(
                m ->
                    m.startsWith("hostile/l")
                        || m.startsWith("hostile/d")
                        || m.startsWith("own/")
                        || m.endsWith("exit0"))
            .toList());
  }

  /** (position, new value); value 256 flips the top bit instead, as LEB128 lengths hate that. */
  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> edits() {
    return Arbitraries.integers()
        .between(0, Integer.MAX_VALUE)
        .flatMap(
            at ->
                Arbitraries.oneOf(
                        Arbitraries.of(0, 0x7f, 0x80, 0xff, 256),
                        Arbitraries.integers().between(0, 255))
                    .map(v -> Tuple.of(at, v)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  // ---------------------------------------------------------------- truncation

  /** Every module cut at every section boundary, just after it, and in the middle of sections. */
  @Example
  void truncatedAtEverySectionBoundary() {
    int cases = 0;
    for (String module : MODULES) {
      byte[] bytes = Guests.bytes(path(module));
      for (int cut : cuts(bytes)) {
        byte[] truncated = Arrays.copyOf(bytes, cut);
        // the interpreter always; the compiler too when the truncated module may still load
        loadAndEvaluate("truncated module", module, truncated, Engine.INTERPRETER);
        cases++;
      }
    }
    assertThat(cases).isGreaterThan(100);
  }

  /** Truncations that remove only whole trailing sections: such modules may still load. */
  @Property(tries = 10, shrinking = ShrinkingMode.OFF)
  void truncatedAtASectionBoundaryAndCompiled(
      @ForAll("smallModules") String module, @ForAll @IntRange(min = 0, max = 20) int which) {
    byte[] bytes = Guests.bytes(path(module));
    List<Integer> ends = sectionEnds(bytes);
    int cut = ends.get(which % ends.size());
    loadAndEvaluate("truncated module", module, Arrays.copyOf(bytes, cut), Engine.COMPILER);
  }

  /** Cut points: 0, 4, 8, each section end, one and two bytes after each start, each middle. */
  static List<Integer> cuts(byte[] wasm) {
    TreeSet<Integer> cuts = new TreeSet<>(List.of(0, 4, 8));
    int at = 8;
    while (at < wasm.length) {
      int start = at;
      int[] size = leb128(wasm, at + 1);
      int end = Math.min(wasm.length, size[1] + size[0]);
      cuts.add(start + 1);
      cuts.add(Math.min(start + 2, wasm.length));
      cuts.add(start + (end - start) / 2);
      cuts.add(end);
      at = end;
    }
    cuts.remove(wasm.length);
    return new ArrayList<>(cuts);
  }

  /** The offsets where sections end (the last is the module's length). */
  static List<Integer> sectionEnds(byte[] wasm) {
    List<Integer> ends = new ArrayList<>();
    int at = 8;
    while (at < wasm.length) {
      int[] size = leb128(wasm, at + 1);
      at = Math.min(wasm.length, size[1] + size[0]);
      ends.add(at);
    }
    return ends;
  }

  /** {value, offset after the number} of the unsigned LEB128 number at {@code at}. */
  private static int[] leb128(byte[] bytes, int at) {
    long value = 0;
    int shift = 0;
    int i = at;
    while (i < bytes.length) {
      int b = bytes[i++] & 0xff;
      value |= (long) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    return new int[] {(int) Math.min(value, Integer.MAX_VALUE), i};
  }

  @Example
  void cutsAreWhereWasmObjdumpSaysTheSectionsAre() {
    // magic_validator: Type section at 0x08 (payload 0x0a..0x37), Data ends at 0x84c2
    byte[] bytes = Guests.bytes(Guests.example("magic_validator"));
    List<Integer> ends = sectionEnds(bytes);
    assertThat(ends.get(0)).isEqualTo(0x37);
    assertThat(ends.get(ends.size() - 1)).isEqualTo(bytes.length);
    assertThat(cuts(bytes)).contains(0, 8, 9, 0x37).doesNotContain(bytes.length);
  }
}
