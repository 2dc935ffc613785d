package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the code of a module can change beyond memory and globals, found by scanning its
 * instructions once at load: whether its tables can change (then the snapshot strategy restores
 * them after each call), and whether it uses features whose state a snapshot cannot capture
 * (exceptions, GC objects, shared memory), which rules the snapshot strategy out.
 */
final class ModuleTraits {
  private static final Set<OpCode> TABLE_WRITES =
      EnumSet.of(
          OpCode.TABLE_SET,
          OpCode.TABLE_GROW,
          OpCode.TABLE_FILL,
          OpCode.TABLE_COPY,
          OpCode.TABLE_INIT,
          OpCode.ELEM_DROP);

  private final boolean tablesMutable;
  private final String snapshotObstacle;

  /** Traits; {@code snapshotObstacle} null when the module can be snapshotted. */
  ModuleTraits(boolean tablesMutable, String snapshotObstacle) {
    this.tablesMutable = tablesMutable;
    this.snapshotObstacle = snapshotObstacle;
  }

  /** Whether any table or element segment can change after instantiation. */
  boolean tablesMutable() {
    return tablesMutable;
  }

  /** Why the module cannot be snapshotted, if it cannot. */
  Optional<String> snapshotObstacle() {
    return Optional.ofNullable(snapshotObstacle);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModuleTraits t
        && tablesMutable == t.tablesMutable
        && Objects.equals(snapshotObstacle, t.snapshotObstacle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tablesMutable, snapshotObstacle);
  }

  @Override
  public String toString() {
    return "ModuleTraits[tablesMutable="
        + tablesMutable
        + ", snapshotObstacle="
        + snapshotObstacle
        + "]";
  }

  static ModuleTraits of(WasmModule module) {
    boolean tables = false;
    String obstacle = null;
    if (module.tagSection().isPresent()) {
      obstacle = "it uses exception handling (tags)";
    }
    boolean shared =
        module
            .memorySection()
            .filter(s -> s.memoryCount() > 0)
            .map(s -> s.getMemory(0).limits().shared())
            .orElse(false);
    if (shared) {
      obstacle = "its memory is shared";
    }
    for (FunctionBody body : module.codeSection().functionBodies()) {
      for (AnnotatedInstruction instruction : body.instructions()) {
        OpCode op = instruction.opcode();
        if (TABLE_WRITES.contains(op)) {
          tables = true;
        } else if (obstacle == null) {
          obstacle = obstacle(op);
        }
      }
    }
    return new ModuleTraits(tables, obstacle);
  }

  private static String obstacle(OpCode op) {
    String name = op.name();
    if (op == OpCode.THROW || op == OpCode.THROW_REF || op == OpCode.TRY_TABLE) {
      return "it uses exception handling (" + name.toLowerCase(java.util.Locale.ROOT) + ")";
    }
    if (name.startsWith("STRUCT_")
        || name.startsWith("ARRAY_")
        || name.startsWith("I31_")
        || op == OpCode.REF_I31) {
      return "it uses GC objects (" + name.toLowerCase(java.util.Locale.ROOT) + ")";
    }
    return null;
  }
}
