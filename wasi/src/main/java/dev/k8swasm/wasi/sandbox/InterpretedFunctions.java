package dev.k8swasm.wasi.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Which functions of a module the code Chicory's compiler produced runs in Chicory's interpreter
 * (functions too large for a JVM method), read from the compiled classes: those are the only
 * function bodies a module loaded from the compile cache needs.
 *
 * <p>The compiled machine class names them twice: the constructor fills an {@code int[]} of their
 * indexes for its {@code CompilerInterpreterMachine}, and {@code call} switches on them. Both are
 * read and must agree; anything unexpected makes the answer unknown, and the caller then decodes
 * every function body as before.
 */
final class InterpretedFunctions {
  private static final String INTERPRETER_MACHINE =
      "com/dylibso/chicory/runtime/internal/CompilerInterpreterMachine";
  private static final String MARKER = "compilerInterpreterMachine";
  private static final int API = Opcodes.ASM9;

  private InterpretedFunctions() {}

  /**
   * The indexes (in the module's function index space) of the functions that the compiled classes
   * in {@code jar} (an entry of Chicory's compile cache) run in the interpreter; empty when they
   * cannot be determined.
   */
  static Optional<Set<Integer>> in(byte[] jar) {
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      String mainClass = null;
      java.util.Map<String, byte[]> classes = new java.util.HashMap<>();
      for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
        byte[] content = in.readAllBytes();
        if (e.getName().equals("wasm-module.properties")) {
          Properties p = new Properties();
          p.load(new ByteArrayInputStream(content));
          mainClass = p.getProperty("mainClass");
        } else if (e.getName().endsWith(".class")) {
          classes.put(e.getName(), content);
        }
      }
      if (mainClass == null) {
        return Optional.empty();
      }
      byte[] main = classes.get(mainClass.replace('.', '/') + ".class");
      if (main == null) {
        return Optional.empty();
      }
      if (classes.values().stream().noneMatch(c -> contains(c, MARKER))) {
        return Optional.of(Set.of());
      }
      Reader reader = new Reader();
      new ClassReader(main).accept(reader, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      if (!reader.complete || reader.constructed.isEmpty()) {
        return Optional.empty();
      }
      if (!reader.constructed.equals(reader.switched)) {
        return Optional.empty();
      }
      return Optional.of(Set.copyOf(reader.constructed));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean contains(byte[] data, String text) {
    byte[] pattern = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Collects the indexes from the constructor and the first switch of {@code call}. */
  private static final class Reader extends ClassVisitor {
    final Set<Integer> constructed = new TreeSet<>();
    final Set<Integer> switched = new TreeSet<>();
    boolean complete;

    Reader() {
      super(API);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      if (name.equals("<init>")) {
        return new ConstructorReader();
      }
      if (name.equals("call") && descriptor.equals("(I[J)[J")) {
        return new CallReader();
      }
      return null;
    }

    /** {@code new CompilerInterpreterMachine(instance, new int[] {a, b, ...})}. */
    private final class ConstructorReader extends MethodVisitor {
      private boolean inside;
      private Integer last;

      ConstructorReader() {
        super(API);
      }

      @Override
      public void visitTypeInsn(int opcode, String type) {
        if (opcode == Opcodes.NEW && type.equals(INTERPRETER_MACHINE)) {
          inside = true;
        }
      }

      @Override
      public void visitInsn(int opcode) {
        if (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5) {
          last = opcode - Opcodes.ICONST_0;
        } else if (opcode == Opcodes.IASTORE && inside && last != null) {
          constructed.add(last);
          last = null;
        }
      }

      @Override
      public void visitIntInsn(int opcode, int operand) {
        if (opcode == Opcodes.BIPUSH || opcode == Opcodes.SIPUSH) {
          last = operand;
        }
      }

      @Override
      public void visitLdcInsn(Object value) {
        if (value instanceof Integer i) {
          last = i;
        }
      }

      @Override
      public void visitMethodInsn(
          int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (inside && owner.equals(INTERPRETER_MACHINE) && name.equals("<init>")) {
          inside = false;
          complete = true;
        }
      }
    }

    /** The first switch of {@code call(int, long[])}: its keys are the interpreted functions. */
    private final class CallReader extends MethodVisitor {
      private boolean seen;

      CallReader() {
        super(API);
      }

      @Override
      public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        record(keys);
      }

      @Override
      public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        int[] keys = new int[max - min + 1];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = min + i;
        }
        record(keys);
      }

      private void record(int[] keys) {
        if (!seen) {
          seen = true;
          for (int k : keys) {
            switched.add(k);
          }
        }
      }
    }
  }
}
