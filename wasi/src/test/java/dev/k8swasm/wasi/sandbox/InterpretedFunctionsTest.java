package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.WasmModule;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module with a function too large for a JVM method: Chicory's compiled code runs that function
 * in the interpreter, so a load from the compile cache needs its body, and only its body.
 */
class InterpretedFunctionsTest {
  /** {@code i32.const k; i32.add} pairs in the big function: far beyond a 64 KiB JVM method. */
  private static final int TERMS = 30_000;

  @TempDir Path dir;
  private Path wasm;
  private byte[] bytes;
  private String key;

  @BeforeEach
  void writeModule() throws IOException {
    bytes = module();
    wasm = Files.write(dir.resolve("huge_function.wasm"), bytes);
    key = CompileCache.key(bytes);
  }

  /** What {@code big} returns: 1 + 2 + ... + TERMS, in 32 bits. */
  private static int expectedBig() {
    int sum = 0;
    for (int k = 1; k <= TERMS; k++) {
      sum += k;
    }
    return sum;
  }

  private ModuleSpec spec() {
    return SandboxModules.spec(wasm, Engine.COMPILER, InstanceStrategy.SNAPSHOT).toBuilder()
        .option(CompileCache.OPTION, TextNode.valueOf(dir.resolve("cache").toString()))
        .build();
  }

  private long[] run() {
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(spec()).build()) {
      return module.evaluate(
          new byte[0], g -> new long[] {g.call("big")[0], g.call("small")[0], g.call("tiny")[0]});
    }
  }

  @Test
  void theCacheRecordsTheInterpretedFunctionAndLoadsOnlyItsBody() throws IOException {
    long[] first = run();
    assertThat((int) first[0]).isEqualTo(expectedBig());
    assertThat((int) first[1]).isEqualTo(expectedBig() + 1);
    assertThat(first[2]).isEqualTo(7);

    CompileCache cache = CompileCache.forSpec(spec()).orElseThrow();
    CompileCache.CachedTraits traits = cache.traits(key).orElseThrow();
    assertThat(traits.interpretedKnown()).isTrue();
    assertThat(traits.interpretedFunctions()).containsExactly(0);
    assertThat(InterpretedFunctions.in(cache.get(key))).contains(Set.of(0));

    WasmModule partial = Compilation.parseWithoutCode(bytes, key, Set.of(0));
    assertThat(partial).isNotNull();
    assertThat(partial.digest()).isEqualTo(key);
    assertThat(partial.codeSection().functionBodyCount()).isEqualTo(3);
    assertThat(partial.codeSection().getFunctionBody(0).instructions()).hasSizeGreaterThan(TERMS);
    assertThat(partial.codeSection().getFunctionBody(1).instructions()).hasSizeLessThanOrEqualTo(1);
    assertThat(partial.codeSection().getFunctionBody(2).instructions()).hasSizeLessThanOrEqualTo(1);

    // the second load takes that path, twice in a row, with the same answers
    for (int i = 0; i < 2; i++) {
      assertThat(run()).containsExactly(first);
    }
  }

  @Test
  void traitsWithoutTheListFallBackToEveryBody() throws IOException {
    long[] first = run();
    Path traits;
    try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
      traits = files.filter(f -> f.toString().endsWith(".traits")).findFirst().orElseThrow();
    }
    // the format written before the list was recorded: only "interpreted=true"
    CompileCache cache = CompileCache.forSpec(spec()).orElseThrow();
    Files.delete(traits);
    assertThat(cache.get(key)).isNotNull();
    cache.putTraits(key, ModuleTraits.of(com.dylibso.chicory.wasm.Parser.parse(bytes)));
    String written = readTraits(traits);
    assertThat(written).contains("interpretedFunctions=0");
    rewriteWithout(traits, "interpretedFunctions");
    CompileCache.CachedTraits old = cache.traits(key).orElseThrow();
    assertThat(old.interpretedKnown()).isFalse();
    WasmModule full = Compilation.parseUnvalidated(bytes, key);
    assertThat(full.codeSection().getFunctionBody(2).instructions()).hasSizeGreaterThan(1);
    assertThat(run()).containsExactly(first);
  }

  @Test
  void traitsOthersMayWriteOrThatWereChangedAreNotUsed() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    long[] first = run();
    Path traits = traitsFile();
    CompileCache.CachedTraits good = CompileCache.forSpec(spec()).orElseThrow().traits(key).get();
    assertThat(good.interpretedFunctions()).containsExactly(0);

    // changed content (an empty list would make every body a placeholder): the hash no longer
    // matches, so the traits are ignored and the module loads the slow, full way
    String text = readTraits(traits).replace("interpretedFunctions=0", "interpretedFunctions=2");
    byte[] stored = Files.readAllBytes(traits);
    byte[] forged = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] tampered = java.util.Arrays.copyOf(stored, 40 + forged.length);
    System.arraycopy(forged, 0, tampered, 40, forged.length);
    Files.write(traits, tampered);
    assertThat(CompileCache.forSpec(spec()).orElseThrow().traits(key)).isEmpty();
    assertThat(run()).containsExactly(first);

    // writable by others: refused (the whole cache), and the answers stay the same
    Files.setPosixFilePermissions(
        traitsFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(CompileCache.forSpec(spec()).orElseThrow().traits(key)).isEmpty();
    assertThat(run()).containsExactly(first);
  }

  private Path traitsFile() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
      return files.filter(f -> f.toString().endsWith(".traits")).findFirst().orElseThrow();
    }
  }

  @Test
  void aListNamingAFunctionOutsideTheModuleIsNotUsed() {
    assertThat(Compilation.parseWithoutCode(bytes, key, Set.of(3))).isNull();
    assertThat(PartialCode.keepOnly(new byte[] {0}, Set.of(0), 0)).isNull();
  }

  @Test
  void aModuleWithoutInterpretedFunctionsNeedsNoBody() {
    run(); // compiles huge_function, whose jar names function 0
    byte[] scribble;
    try {
      scribble = Files.readAllBytes(SandboxModules.path("scribble"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ModuleSpec other =
        SandboxModules.spec("scribble", Engine.COMPILER, InstanceStrategy.SNAPSHOT).toBuilder()
            .option(CompileCache.OPTION, TextNode.valueOf(dir.resolve("cache").toString()))
            .build();
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(other).build()) {
      long pages =
          module.evaluate(
              new byte[0],
              g -> {
                g.call("scribble", 3);
                return g.call("pages")[0];
              });
      assertThat(pages).isEqualTo(3);
    }
    CompileCache cache = CompileCache.forSpec(other).orElseThrow();
    byte[] jar = cache.get(CompileCache.key(scribble));
    assertThat(InterpretedFunctions.in(jar)).contains(Set.of());
    assertThat(InterpretedFunctions.in(new byte[] {1, 2, 3})).isEmpty();
  }

  @Test
  void keepOnlyEmptiesEveryOtherBodyAndKeepsTheKeptOnesByteForByte() {
    // three bodies: sizes 2, 4, 3
    byte[] section = {3, 2, 0, 0x0b, 4, 0, 0x41, 1, 0x0b, 3, 0, 0x01, 0x0b};
    byte[] kept = PartialCode.keepOnly(section, Set.of(2 + 1), 2);
    assertThat(kept).containsExactly(3, 2, 0, 0x0b, 4, 0, 0x41, 1, 0x0b, 2, 0, 0x0b);
    byte[] truncated = java.util.Arrays.copyOf(section, section.length - 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PartialCode.keepOnly(truncated, Set.of(2), 2))
        .isInstanceOf(RuntimeException.class);
  }

  private static String readTraits(Path traits) throws IOException {
    byte[] stored = Files.readAllBytes(traits);
    return new String(stored, 40, stored.length - 40, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** Rewrites the traits file without {@code property}, framed as the cache frames entries. */
  private void rewriteWithout(Path traits, String property) throws IOException {
    String text = readTraits(traits);
    StringBuilder kept = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.startsWith(property + "=")) {
        kept.append(line).append('\n');
      }
    }
    byte[] content = kept.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] stored = Files.readAllBytes(traits);
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(40 + content.length);
    out.put(stored, 0, 8);
    try {
      out.put(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    out.put(content);
    Files.write(traits, out.array());
  }

  /**
   * A module with a memory (exported) and three functions of type {@code () -> i32}: {@code big}
   * (function 0) sums 1..TERMS in one body, {@code small} returns {@code big() + 1}, {@code tiny}
   * returns 7.
   */
  static byte[] module() {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
    section(m, 1, bytes(1, 0x60, 0, 1, 0x7f)); // type 0: () -> i32
    section(m, 3, bytes(3, 0, 0, 0)); // three functions of type 0
    section(m, 5, bytes(1, 0, 1)); // memory: min 1 page
    ByteArrayOutputStream exports = new ByteArrayOutputStream();
    unsigned(exports, 4);
    export(exports, "big", 0, 0);
    export(exports, "small", 0, 1);
    export(exports, "tiny", 0, 2);
    export(exports, "memory", 2, 0);
    section(m, 7, exports.toByteArray());

    ByteArrayOutputStream big = new ByteArrayOutputStream();
    big.write(0); // no locals
    big.writeBytes(bytes(0x41, 0)); // i32.const 0
    for (int k = 1; k <= TERMS; k++) {
      big.write(0x41);
      signed(big, k);
      big.write(0x6a); // i32.add
    }
    big.write(0x0b);
    byte[] small = bytes(0, 0x10, 0, 0x41, 1, 0x6a, 0x0b); // call 0; i32.const 1; i32.add
    byte[] tiny = bytes(0, 0x41, 7, 0x0b);
    ByteArrayOutputStream code = new ByteArrayOutputStream();
    unsigned(code, 3);
    for (byte[] body : List.of(big.toByteArray(), small, tiny)) {
      unsigned(code, body.length);
      code.writeBytes(body);
    }
    section(m, 10, code.toByteArray());
    return m.toByteArray();
  }

  private static void export(ByteArrayOutputStream out, String name, int kind, int index) {
    unsigned(out, name.length());
    out.writeBytes(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(kind);
    unsigned(out, index);
  }

  private static void section(ByteArrayOutputStream out, int id, byte[] contents) {
    out.write(id);
    unsigned(out, contents.length);
    out.writeBytes(contents);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static void unsigned(ByteArrayOutputStream out, long value) {
    long v = value;
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v == 0 ? b : b | 0x80);
    } while (v != 0);
  }

  private static void signed(ByteArrayOutputStream out, int value) {
    int v = value;
    while (true) {
      int b = v & 0x7f;
      v >>= 7;
      boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
      out.write(done ? b : b | 0x80);
      if (done) {
        return;
      }
    }
  }
}
