package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.MutabilityType;
import java.util.Arrays;

/**
 * The state of an initialised instance that evaluations may change: its memory (page count and
 * content), its mutable globals and, when the module's code can change them, its tables and element
 * segments. Taken once per module; {@link #restore} puts it back into any instance of the same
 * module. Immutable.
 */
final class InstanceSnapshot {
  private final MemorySnapshot memory;
  private final int[] globals;
  private final long[] lows;
  private final long[] highs;
  private final TableState[] tables;
  private final Element[] elements;

  private record TableState(int[] refs, Instance[] instances) {}

  private InstanceSnapshot(
      MemorySnapshot memory,
      int[] globals,
      long[] lows,
      long[] highs,
      TableState[] tables,
      Element[] elements) {
    this.memory = memory;
    this.globals = globals;
    this.lows = lows;
    this.highs = highs;
    this.tables = tables;
    this.elements = elements;
  }

  /**
   * Takes a snapshot of {@code guest}, whose memory must be a {@link TrackedMemory} (or absent).
   *
   * @param withTables whether to record tables and element segments too
   */
  static InstanceSnapshot take(GuestInstance<?> guest, boolean withTables) {
    Instance instance = guest.instance();
    TrackedMemory tracked = guest.trackedMemory();
    MemorySnapshot memory = tracked == null ? null : tracked.snapshot();
    int count = 0;
    int[] indexes = new int[instance.globalCount()];
    for (int i = 0; i < indexes.length; i++) {
      if (instance.global(i).getMutabilityType() == MutabilityType.Var) {
        indexes[count++] = i;
      }
    }
    int[] globals = Arrays.copyOf(indexes, count);
    long[] lows = new long[count];
    long[] highs = new long[count];
    for (int i = 0; i < count; i++) {
      GlobalInstance global = instance.global(globals[i]);
      lows[i] = global.getValueLow();
      highs[i] = global.getValueHigh();
    }
    TableState[] tables = null;
    Element[] elements = null;
    if (withTables) {
      tables = new TableState[instance.tableCount()];
      for (int t = 0; t < tables.length; t++) {
        TableInstance table = instance.table(t);
        int[] refs = new int[table.size()];
        Instance[] owners = new Instance[refs.length];
        for (int i = 0; i < refs.length; i++) {
          refs[i] = table.ref(i);
          owners[i] = table.instance(i) == instance ? null : table.instance(i);
        }
        tables[t] = new TableState(refs, owners);
      }
      elements = new Element[instance.elementCount()];
      for (int i = 0; i < elements.length; i++) {
        elements[i] = instance.element(i);
      }
    }
    if (tracked != null) {
      tracked.clearDirty();
    }
    return new InstanceSnapshot(memory, globals, lows, highs, tables, elements);
  }

  /** The memory part, null when the module has no memory. */
  MemorySnapshot memory() {
    return memory;
  }

  /**
   * Restores this state into {@code guest}.
   *
   * @param full whether {@code guest} is a new instance (restore all of memory) rather than one
   *     that held this snapshot before (restore what was written since)
   * @return false when the instance cannot be brought back (a table grew): discard it
   */
  boolean restore(GuestInstance<?> guest, boolean full) {
    Instance instance = guest.instance();
    if (tables != null && !restoreTables(instance)) {
      return false;
    }
    TrackedMemory tracked = guest.trackedMemory();
    if (tracked != null) {
      tracked.restore(memory, full);
    }
    for (int i = 0; i < globals.length; i++) {
      GlobalInstance global = instance.global(globals[i]);
      global.setValueLow(lows[i]);
      global.setValueHigh(highs[i]);
    }
    return true;
  }

  private boolean restoreTables(Instance instance) {
    for (int t = 0; t < tables.length; t++) {
      TableInstance table = instance.table(t);
      int[] refs = tables[t].refs();
      if (table.size() != refs.length) {
        return false;
      }
      Instance[] owners = tables[t].instances();
      for (int i = 0; i < refs.length; i++) {
        Instance owner = owners[i] == null ? instance : owners[i];
        if (table.ref(i) != refs[i] || table.instance(i) != owner) {
          table.setRef(i, refs[i], owner);
        }
      }
    }
    for (int i = 0; i < elements.length; i++) {
      if (instance.element(i) != elements[i]) {
        instance.setElement(i, elements[i]);
      }
    }
    return true;
  }
}
