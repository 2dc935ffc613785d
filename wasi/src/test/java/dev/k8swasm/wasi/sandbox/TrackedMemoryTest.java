package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way of writing to a {@link TrackedMemory} is tracked: after any writes, restoring the
 * snapshot gives back exactly the snapshot's bytes and size.
 */
class TrackedMemoryTest {
  private static final int PAGE = Memory.PAGE_SIZE;

  /** Two pages of recognisable content, at most 6 pages (the configured limit). */
  private static TrackedMemory memory() {
    TrackedMemory memory = new TrackedMemory(new MemoryLimits(2, 6), 6);
    for (int i = 0; i < 2 * PAGE; i += 97) {
      memory.writeByte(i, (byte) (i * 31 + 7));
    }
    memory.initialize(
        null,
        new DataSegment[] {new PassiveDataSegment("segment".getBytes(StandardCharsets.UTF_8))});
    memory.writeI32(1000, 1000);
    return memory;
  }

  private static void assertRestored(TrackedMemory memory, MemorySnapshot snapshot) {
    assertThat(memory.pages()).isEqualTo(snapshot.pages());
    assertThat(memory.anyDirty()).isFalse();
    for (int i = 0; i < snapshot.bytes(); i++) {
      if (memory.read(i) != snapshot.byteAt(i)) {
        throw new AssertionError("byte " + i + " not restored");
      }
    }
  }

  static Stream<Arguments> writes() {
    return Stream.of(
        write("writeByte", m -> m.writeByte(4095, (byte) 1)),
        write("writeShort at a block edge", m -> m.writeShort(4095, (short) -1)),
        write("writeShort at a page edge", m -> m.writeShort(PAGE - 1, (short) -1)),
        write("writeI32 at a block edge", m -> m.writeI32(8190, -1)),
        write("writeI32 at a page edge", m -> m.writeI32(PAGE - 2, -1)),
        write("writeLong at a block edge", m -> m.writeLong(12284, -1L)),
        write("writeLong at a page edge", m -> m.writeLong(PAGE - 3, -1L)),
        write("writeF32", m -> m.writeF32(16382, 3.25f)),
        write("writeF64", m -> m.writeF64(20476, -2.5)),
        write("write bytes across blocks", m -> m.write(4000, new byte[10_000])),
        write("write bytes across pages", m -> m.write(PAGE - 10, filled(100))),
        write("writeString", m -> m.writeString(30000, "hello")),
        write("writeCString", m -> m.writeCString(30100, "hello")),
        write("fill", m -> m.fill((byte) 9, 5000, 70000)),
        write("zero", Memory::zero),
        write("copy forward", m -> m.copy(100, 60000, 9000)),
        write("copy backward (overlapping)", m -> m.copy(4100, 4000, 9000)),
        write("initPassiveSegment", m -> m.initPassiveSegment(0, 8000, 0, 7)),
        write("drop", m -> m.drop(0)),
        write("atomicWriteInt", m -> m.atomicWriteInt(40000, -1)),
        write("atomicWriteLong", m -> m.atomicWriteLong(40008, -1L)),
        write("atomicWriteShort", m -> m.atomicWriteShort(40016, (short) -1)),
        write("atomicWriteByte", m -> m.atomicWriteByte(40018, (byte) -1)),
        write("atomicAddInt", m -> m.atomicAddInt(40020, 5)),
        write("atomicCmpxchgLong", m -> m.atomicCmpxchgLong(40024, m.readLong(40024), 5L)),
        write("atomicXchgByte", m -> m.atomicXchgByte(40032, (byte) 3)),
        write(
            "grow and write in the new pages",
            m -> {
              assertThat(m.grow(3)).isEqualTo(2);
              m.writeLong(5 * PAGE - 8, -1L);
              m.writeByte(2 * PAGE, (byte) 1);
            }));
  }

  private static Arguments write(String name, Consumer<TrackedMemory> write) {
    return Arguments.of(name, write);
  }

  private static byte[] filled(int n) {
    byte[] bytes = new byte[n];
    java.util.Arrays.fill(bytes, (byte) 0x5a);
    return bytes;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writes")
  void everyWritePathIsRestored(String name, Consumer<TrackedMemory> write) {
    TrackedMemory memory = memory();
    MemorySnapshot snapshot = memory.snapshot();
    memory.clearDirty();

    write.accept(memory);
    assertThat(memory.anyDirty() || name.equals("drop")).as("the write was tracked").isTrue();
    memory.restore(snapshot, false);

    assertRestored(memory, snapshot);
    // the data segment is back too
    memory.initPassiveSegment(0, 8000, 0, 7);
    assertThat(memory.readString(8000, 7)).isEqualTo("segment");
  }

  @Test
  void aDropAfterARestoreLeavesTheSnapshotsSegmentsAlone() {
    TrackedMemory memory = memory();
    MemorySnapshot snapshot = memory.snapshot();
    TrackedMemory other = new TrackedMemory(new MemoryLimits(2, 6), 6);
    other.restore(snapshot, true);
    memory.restore(snapshot, false);

    memory.drop(0);

    assertThatThrownBy(() -> memory.initPassiveSegment(0, 8000, 0, 7))
        .isInstanceOf(RuntimeException.class);
    other.initPassiveSegment(0, 8000, 0, 7);
    assertThat(other.readString(8000, 7)).isEqualTo("segment");
    memory.restore(snapshot, false);
    memory.initPassiveSegment(0, 8000, 0, 7);
    assertThat(memory.readString(8000, 7)).isEqualTo("segment");
  }

  @Test
  void restoringShrinksToTheSnapshotsSizeAndGrownPagesStartZeroed() {
    TrackedMemory memory = memory();
    MemorySnapshot snapshot = memory.snapshot();
    memory.clearDirty();
    memory.grow(4);
    memory.fill((byte) 0x7f, 2 * PAGE, 6 * PAGE);

    memory.restore(snapshot, false);

    assertThat(memory.pages()).isEqualTo(2);
    assertThatThrownBy(() -> memory.read(2 * PAGE)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> memory.writeI32(3 * PAGE, 1)).isInstanceOf(WasmRuntimeException.class);
    assertThat(memory.grow(4)).isEqualTo(2);
    for (int i = 2 * PAGE; i < 6 * PAGE; i++) {
      if (memory.read(i) != 0) {
        throw new AssertionError("byte " + i + " of a re-grown page is not zero");
      }
    }
  }

  @Test
  void growthWithinTheCapacityKeptByARestoreStartsZeroedAndBigGrowthIsGivenBack() {
    TrackedMemory memory = new TrackedMemory(new MemoryLimits(2, 400), 400);
    memory.writeI32(100, 42);
    MemorySnapshot snapshot = memory.snapshot();
    memory.clearDirty();
    assertThat(memory.grow(6)).isEqualTo(2);
    memory.fill((byte) 0x33, 2 * PAGE, 8 * PAGE);
    memory.restore(snapshot, false);
    assertThat(memory.capacity()).as("the grown capacity is kept").isGreaterThanOrEqualTo(8 * PAGE);
    assertThatThrownBy(() -> memory.readInt(2 * PAGE)).isInstanceOf(WasmRuntimeException.class);

    assertThat(memory.grow(6)).isEqualTo(2);
    for (int i = 2 * PAGE; i < 8 * PAGE; i++) {
      if (memory.read(i) != 0) {
        throw new AssertionError("byte " + i + " of a re-grown page is not zero");
      }
    }
    assertThat(memory.grow(390)).isEqualTo(8); // 398 pages: far past what a restore keeps
    memory.writeLong(398 * PAGE - 8, -1L);
    memory.restore(snapshot, false);

    assertRestored(memory, snapshot);
    assertThat(memory.capacity()).isLessThanOrEqualTo(2 * PAGE + TrackedMemory.MAX_SPARE_BYTES);
    assertThat(memory.grow(396)).isEqualTo(2);
    assertThat(memory.readLong(398 * PAGE - 8)).isZero();
  }

  @Test
  void aFullRestoreGrowsANewMemoryToASnapshotTakenAfterGrowth() {
    TrackedMemory warmed = memory();
    warmed.grow(3);
    warmed.writeLong(5 * PAGE - 8, 0x0102030405060708L);
    warmed.fill((byte) 0x44, 3 * PAGE, 3 * PAGE + 5000);
    MemorySnapshot snapshot = warmed.snapshot();
    TrackedMemory fresh = new TrackedMemory(new MemoryLimits(2, 6), 6);

    fresh.restore(snapshot, true);

    assertRestored(fresh, snapshot);
    assertThat(fresh.pages()).isEqualTo(5);
    assertThat(fresh.readLong(5 * PAGE - 8)).isEqualTo(0x0102030405060708L);
    assertThat(fresh.grow(1)).isEqualTo(5);
    assertThat(fresh.readLong(5 * PAGE)).isZero();
  }

  @Test
  void aFullRestoreOverwritesEverything() {
    TrackedMemory source = memory();
    MemorySnapshot snapshot = source.snapshot();
    TrackedMemory other = new TrackedMemory(new MemoryLimits(2, 8), 6);
    other.grow(1);
    other.fill((byte) 1, 0, 3 * PAGE);
    other.clearDirty();

    other.restore(snapshot, true);

    assertRestored(other, snapshot);
  }

  @Test
  void growthRefusedByTheConfiguredLimitIsRemembered() {
    TrackedMemory memory = memory();
    MemorySnapshot snapshot = memory.snapshot();

    assertThat(memory.grow(3)).isEqualTo(2); // 5 pages: within the limit of 6
    assertThat(memory.deniedGrowth()).isEqualTo(-1);
    assertThat(memory.grow(2)).isEqualTo(-1); // 7 pages: over the limit
    assertThat(memory.deniedGrowth()).isEqualTo(2);

    memory.restore(snapshot, false);
    assertThat(memory.deniedGrowth()).isEqualTo(-1);
  }

  @Test
  void growthPastTheModulesOwnMaximumIsNotALimitHit() {
    TrackedMemory memory = new TrackedMemory(new MemoryLimits(1, 2), 100);
    assertThat(memory.grow(5)).isEqualTo(-1);
    assertThat(memory.deniedGrowth()).isEqualTo(-1);
  }

  @Test
  void outOfBoundsAccessesTrapLikeChicorysMemory() {
    TrackedMemory memory = memory();
    assertThatThrownBy(() -> memory.writeI32(2 * PAGE - 2, 1))
        .isInstanceOf(WasmRuntimeException.class)
        .hasMessageContaining("out of bounds memory access");
    assertThatThrownBy(() -> memory.readLong(-4)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> memory.write(2 * PAGE - 1, new byte[2]))
        .isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> memory.fill((byte) 1, 2 * PAGE - 1, 2 * PAGE + 1))
        .isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> memory.copy(0, 2 * PAGE - 1, 2))
        .isInstanceOf(WasmRuntimeException.class);
  }

  @Test
  void valuesReadBackAsWritten() {
    TrackedMemory memory = memory();
    memory.writeLong(PAGE - 3, 0x0102030405060708L);
    memory.writeI32(4094, 0xcafebabe);
    memory.writeShort(2 * PAGE - 2, (short) 0x1234);
    memory.writeF64(100, 1.25);
    memory.writeF32(200, -0.5f);
    assertThat(memory.readLong(PAGE - 3)).isEqualTo(0x0102030405060708L);
    assertThat(memory.readInt(4094)).isEqualTo(0xcafebabe);
    assertThat(memory.readShort(2 * PAGE - 2)).isEqualTo((short) 0x1234);
    assertThat(memory.readDouble(100)).isEqualTo(1.25);
    assertThat(memory.readFloat(200)).isEqualTo(-0.5f);
    assertThat(memory.readU16(2 * PAGE - 2)).isEqualTo(0x1234);
    memory.writeShort(PAGE - 1, (short) 0x5678);
    assertThat(memory.readShort(PAGE - 1)).isEqualTo((short) 0x5678);
  }

  /** One write: which operation, where, how long, what value. */
  record Op(int kind, int address, int length, long value) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 5 * PAGE),
                Arbitraries.integers().between(0, 3 * PAGE),
                Arbitraries.longs())
            .as(Op::new);
    return op.list().ofMaxSize(40);
  }

  /** Random writes of every kind (in bounds or not) and growth, then restore: the snapshot. */
  @Property(tries = 300)
  void randomWritesThenRestoreGiveTheSnapshot(@ForAll("ops") @Size(max = 40) List<Op> ops) {
    TrackedMemory memory = memory();
    MemorySnapshot snapshot = memory.snapshot();
    memory.clearDirty();
    for (Op op : ops) {
      try {
        apply(memory, op);
      } catch (WasmRuntimeException e) {
        // out of bounds: a trap, nothing to check
      }
    }
    memory.restore(snapshot, false);
    assertRestored(memory, snapshot);
  }

  private static void apply(TrackedMemory m, Op op) {
    int a = op.address();
    long v = op.value();
    switch (op.kind()) {
      case 0 -> m.writeByte(a, (byte) v);
      case 1 -> m.writeShort(a, (short) v);
      case 2 -> m.writeI32(a, (int) v);
      case 3 -> m.writeLong(a, v);
      case 4 -> m.writeF32(a, Float.intBitsToFloat((int) v));
      case 5 -> m.writeF64(a, Double.longBitsToDouble(v));
      case 6 -> m.write(a, filled(op.length() % 9000));
      case 7 -> m.fill((byte) v, a, a + op.length());
      case 8 -> m.copy(a, (int) (v & 0x3ffff), op.length());
      case 9 -> m.grow((int) (v & 3));
      case 10 -> m.atomicAddLong(a, v);
      default -> m.initPassiveSegment(0, a, 0, 7);
    }
  }
}
