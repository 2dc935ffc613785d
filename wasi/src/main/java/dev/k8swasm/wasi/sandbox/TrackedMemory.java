package dev.k8swasm.wasi.sandbox;

import static com.dylibso.chicory.runtime.ConstantEvaluators.computeConstantValue;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A linear memory that records which 4 KiB blocks were written since the last {@link
 * #restore(MemorySnapshot) restore}, so that restoring a snapshot copies only those blocks, and
 * that can shrink back to the snapshot's size. It also remembers when {@code memory.grow} was
 * refused because of the configured memory limit, so that the failure that usually follows can be
 * reported as {@code MEMORY_LIMIT}.
 *
 * <p>Storage is one flat {@code byte[]} whose length (the capacity) may exceed the current size:
 * every access checks its address against the size (one comparison), then reads or writes the array
 * directly. The bytes between the size and the capacity are always zero, so {@code memory.grow}
 * within the capacity only moves the size; restoring a snapshot shrinks the size back, zeroing what
 * was written past it, and keeps the capacity (up to {@link #MAX_SPARE_BYTES} past the snapshot's
 * size) for the next evaluation's growth. Every write path marks the blocks it touches: the stores
 * of every width (which compiled and interpreted code and WASI all reach through this interface),
 * {@code write}, {@code fill}, {@code copy}, data segment initialisation and {@code memory.init},
 * and the atomic read-modify-write operations (which the interface implements with the plain
 * stores). A store of up to 8 bytes marks only the block it starts in; {@link #restore} also
 * restores the first bytes of the next block, where such a store may spill.
 *
 * <p>Not shared: one thread at a time, like the instance that owns it.
 */
final class TrackedMemory implements Memory {
  static final int BLOCK_SHIFT = 12;
  static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;
  static final int BLOCKS_PER_PAGE = PAGE_SIZE / BLOCK_SIZE;

  /** The most bytes a single store writes past its first block; a store marks its first only. */
  private static final int SPILL = 7;

  /** Zeroed capacity kept past the snapshot's size for the next growth, at most (16 MiB). */
  static final int MAX_SPARE_BYTES = 256 * PAGE_SIZE;

  private static final int PAGE_SHIFT = 16;

  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private final MemoryLimits limits;
  private final int maxPages;
  private final int configuredLimitPages;

  /** The content; zero from {@link #bytes} to its end. */
  private byte[] memory;

  /** One mark per 4 KiB block of {@link #memory}'s capacity. */
  private byte[] dirty;

  /** The size in bytes ({@code pages << 16}); every access is checked against it. */
  private int bytes;

  /** The data segments; the snapshot's array (then also originalSegments) until a data.drop. */
  private DataSegment[] segments;

  private DataSegment[] originalSegments;
  private int deniedGrowth = -1;

  /**
   * A memory of {@code limits.initialPages()} zeroed pages that may grow to {@code
   * limits.maximumPages()}.
   *
   * @param configuredLimitPages the configured limit (Limits.maxMemoryBytes) in pages: a refused
   *     {@code grow} past it is remembered as {@link #deniedGrowth()}
   */
  TrackedMemory(MemoryLimits limits, int configuredLimitPages) {
    if (limits.shared()) {
      throw new IllegalArgumentException("shared memories are not supported");
    }
    this.limits = limits;
    this.maxPages = Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
    this.configuredLimitPages = configuredLimitPages;
    int pages = Math.min(limits.initialPages(), maxPages);
    this.memory = new byte[pages << PAGE_SHIFT];
    this.dirty = new byte[Math.max(pages, 1) * BLOCKS_PER_PAGE];
    this.bytes = pages << PAGE_SHIFT;
  }

  // ---- snapshot support ----

  /** A copy of the current content: page count and every non-zero block. */
  MemorySnapshot snapshot() {
    return MemorySnapshot.of(memory, pages(), segments);
  }

  /**
   * Makes the content equal to {@code snapshot}: copies back the blocks written since the last
   * restore (or, for a memory that never held the snapshot, every block the snapshot has), zeroes
   * what was written past the snapshot's size and shrinks to its page count.
   *
   * @param full whether this memory may hold anything (a new instance after data segment
   *     initialisation): then every block is restored, not just the dirty ones
   */
  void restore(MemorySnapshot snapshot, boolean full) {
    int snapshotBytes = snapshot.pages() << PAGE_SHIFT;
    if (full) {
      restoreFull(snapshot);
    } else {
      restoreDirty(snapshot);
    }
    // Everything past the snapshot's size is zero now. Keep some of it for the next growth.
    if (memory.length > snapshotBytes + MAX_SPARE_BYTES) {
      memory = Arrays.copyOf(memory, snapshotBytes);
      dirty = new byte[Math.max(snapshot.pages(), 1) * BLOCKS_PER_PAGE];
    }
    bytes = snapshotBytes;
    segments = snapshot.segments();
    originalSegments = snapshot.segments();
    deniedGrowth = -1;
  }

  private void restoreFull(MemorySnapshot snapshot) {
    int snapshotBytes = snapshot.pages() << PAGE_SHIFT;
    if (memory.length < snapshotBytes) {
      ensureCapacity(snapshotBytes);
    }
    int snapshotBlocks = snapshotBytes >>> BLOCK_SHIFT;
    for (int b = 0; b < snapshotBlocks; b++) {
      snapshot.copyBlock(b, memory, b << BLOCK_SHIFT);
    }
    Arrays.fill(memory, snapshotBytes, memory.length, (byte) 0);
    Arrays.fill(dirty, (byte) 0);
  }

  private void restoreDirty(MemorySnapshot snapshot) {
    int snapshotBlocks = snapshot.pages() * BLOCKS_PER_PAGE;
    int blocks = bytes >>> BLOCK_SHIFT;
    byte[] marks = dirty;
    byte[] content = memory;
    for (int b = 0; b < blocks; b++) {
      if (marks[b] == 0) {
        continue;
      }
      marks[b] = 0;
      int offset = b << BLOCK_SHIFT;
      if (b < snapshotBlocks) {
        snapshot.copyBlock(b, content, offset);
      } else {
        Arrays.fill(content, offset, offset + BLOCK_SIZE, (byte) 0);
      }
      // A store that started at the end of this block may have spilled into the next one.
      int next = b + 1;
      if (next < blocks && marks[next] == 0) {
        int nextOffset = next << BLOCK_SHIFT;
        if (next < snapshotBlocks) {
          snapshot.copyRange(next, content, nextOffset, SPILL);
        } else {
          Arrays.fill(content, nextOffset, nextOffset + SPILL, (byte) 0);
        }
      }
    }
  }

  /** Whether block {@code b} was written since the last restore (tests, diagnostics). */
  boolean isDirty(int b) {
    return b < dirty.length && dirty[b] != 0;
  }

  /** Whether any block was written since the last restore. */
  boolean anyDirty() {
    int blocks = bytes >>> BLOCK_SHIFT;
    for (int b = 0; b < blocks; b++) {
      if (dirty[b] != 0) {
        return true;
      }
    }
    return false;
  }

  /** Forgets which blocks were written (after taking a snapshot of this memory). */
  void clearDirty() {
    Arrays.fill(dirty, (byte) 0);
  }

  /**
   * The pages a refused {@code memory.grow} asked for since the last restore, when it was refused
   * because of the configured limit; -1 when none was.
   */
  int deniedGrowth() {
    return deniedGrowth;
  }

  /** The configured limit in pages. */
  int configuredLimitPages() {
    return configuredLimitPages;
  }

  /** The capacity in bytes (tests). */
  int capacity() {
    return memory.length;
  }

  // ---- Memory ----

  @Override
  public int pages() {
    return bytes >>> PAGE_SHIFT;
  }

  @Override
  public int grow(int delta) {
    int previous = pages();
    long wanted = (long) previous + delta;
    if (delta < 0 || wanted > maxPages) {
      if (delta > 0 && wanted > configuredLimitPages) {
        deniedGrowth = delta;
      }
      return -1;
    }
    int wantedBytes = (int) (wanted << PAGE_SHIFT);
    if (wantedBytes > memory.length) {
      ensureCapacity(wantedBytes);
    }
    bytes = wantedBytes;
    return previous;
  }

  /** Grows the array to at least {@code needed} bytes (doubling, up to the maximum size). */
  private void ensureCapacity(int needed) {
    long max = (long) maxPages << PAGE_SHIFT;
    long doubled = Math.min((long) memory.length * 2, max);
    int capacity = (int) Math.min(Math.max(needed, doubled), Integer.MAX_VALUE - 8);
    capacity = Math.max(capacity, needed);
    memory = Arrays.copyOf(memory, capacity);
    int blocks = (capacity + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
    if (blocks > dirty.length) {
      dirty = Arrays.copyOf(dirty, blocks);
    }
  }

  @Override
  public int initialPages() {
    return limits.initialPages();
  }

  @Override
  public int maximumPages() {
    return maxPages;
  }

  @Override
  public boolean shared() {
    return false;
  }

  /** The atomic operations of a non-shared memory need no lock beyond the owning thread. */
  @Override
  public Object lock(int address) {
    return this;
  }

  @Override
  public int waitOn(int address, int expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  public int waitOn(int address, long expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  public int notify(int address, int maxThreads) {
    return 0;
  }

  @Override
  public int atomicWait(int addr, int expected, long timeout) {
    return waitOn(addr, expected, timeout);
  }

  @Override
  public int atomicWait(int addr, long expected, long timeout) {
    return waitOn(addr, expected, timeout);
  }

  @Override
  public int atomicNotify(int addr, int maxThreads) {
    return 0;
  }

  @Override
  public void atomicFence() {}

  @Override
  public void initialize(Instance instance, DataSegment[] dataSegments) {
    initialize(instance, dataSegments, 0);
  }

  @Override
  public void initialize(Instance instance, DataSegment[] dataSegments, int memoryIndex) {
    this.originalSegments = dataSegments == null ? null : dataSegments.clone();
    this.segments = dataSegments == null ? null : dataSegments.clone();
    if (dataSegments == null) {
      return;
    }
    for (DataSegment s : dataSegments) {
      if (s instanceof ActiveDataSegment) {
        ActiveDataSegment segment = (ActiveDataSegment) s;
        if (segment.index() != memoryIndex) {
          continue;
        }
        int offset = (int) computeConstantValue(instance, segment.offsetInstructions())[0];
        byte[] data = segment.data();
        checkBounds(offset, data.length, bytes, UninstantiableException::new);
        write(offset, data, 0, data.length);
      } else if (!(s instanceof PassiveDataSegment)) {
        throw new ChicoryException("Data segment should be active or passive: " + s);
      }
    }
  }

  @Override
  public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
    write(dest, segments[segmentId].data(), offset, size);
  }

  @Override
  public void drop(int segment) {
    if (segments == originalSegments) {
      segments = segments.clone(); // the snapshot's array, shared by every restored instance
    }
    segments[segment] = PassiveDataSegment.EMPTY;
  }

  /** The data segments as the instance was created with them, before any {@code data.drop}. */
  DataSegment[] originalSegments() {
    return originalSegments;
  }

  private static void checkBounds(
      int addr, int size, int limit, Function<String, ChicoryException> exception) {
    if (addr < 0 || size < 0 || addr > limit || (size > 0 && (addr + size) > limit)) {
      throw exception.apply(
          "out of bounds memory access: attempted to access address: "
              + addr
              + " but limit is: "
              + limit
              + " and size: "
              + size);
    }
  }

  /**
   * Fails unless {@code [addr, addr + width)} lies within the size; one branch: both {@code addr}
   * and {@code bytes - width - addr} are non-negative exactly when it does.
   */
  private void check(int addr, int width) {
    if ((addr | (bytes - width - addr)) < 0) {
      throw outOfBounds(addr, width);
    }
  }

  private WasmRuntimeException outOfBounds(int addr, int size) {
    return new WasmRuntimeException(
        "out of bounds memory access: attempted to access address: "
            + addr
            + " but limit is: "
            + bytes
            + " and size: "
            + size);
  }

  /** Marks the blocks of {@code [addr, addr + length)}; length > 0 and in bounds. */
  private void markRange(int addr, int length) {
    int first = addr >>> BLOCK_SHIFT;
    int last = (addr + length - 1) >>> BLOCK_SHIFT;
    Arrays.fill(dirty, first, last + 1, (byte) 1);
  }

  @Override
  public void write(int addr, byte[] data, int offset, int length) {
    checkBounds(offset, length, data.length, WasmRuntimeException::new);
    checkBounds(addr, length, bytes, WasmRuntimeException::new);
    if (length == 0) {
      return;
    }
    markRange(addr, length);
    System.arraycopy(data, offset, memory, addr, length);
  }

  @Override
  public byte read(int addr) {
    check(addr, 1);
    return memory[addr];
  }

  /** Copies {@code length} bytes at {@code addr} into {@code dest} at {@code offset}. */
  void read(int addr, byte[] dest, int offset, int length) {
    checkBounds(addr, length, bytes, WasmRuntimeException::new);
    System.arraycopy(memory, addr, dest, offset, length);
  }

  @Override
  public byte[] readBytes(int addr, int length) {
    checkBounds(addr, length, bytes, WasmRuntimeException::new);
    return Arrays.copyOfRange(memory, addr, addr + length);
  }

  @Override
  public void writeByte(int addr, byte data) {
    check(addr, 1);
    memory[addr] = data;
    dirty[addr >>> BLOCK_SHIFT] = 1;
  }

  @Override
  public void writeShort(int addr, short data) {
    check(addr, 2);
    SHORT.set(memory, addr, data);
    dirty[addr >>> BLOCK_SHIFT] = 1;
  }

  @Override
  public void writeI32(int addr, int data) {
    check(addr, 4);
    INT.set(memory, addr, data);
    dirty[addr >>> BLOCK_SHIFT] = 1;
  }

  @Override
  public void writeLong(int addr, long data) {
    check(addr, 8);
    LONG.set(memory, addr, data);
    dirty[addr >>> BLOCK_SHIFT] = 1;
  }

  @Override
  public void writeF32(int addr, float data) {
    check(addr, 4);
    FLOAT.set(memory, addr, data);
    dirty[addr >>> BLOCK_SHIFT] = 1;
  }

  @Override
  public void writeF64(int addr, double data) {
    check(addr, 8);
    DOUBLE.set(memory, addr, data);
    dirty[addr >>> BLOCK_SHIFT] = 1;
  }

  @Override
  public short readShort(int addr) {
    check(addr, 2);
    return (short) SHORT.get(memory, addr);
  }

  @Override
  public long readU16(int addr) {
    return readShort(addr) & 0xFFFFL;
  }

  @Override
  public int readInt(int addr) {
    check(addr, 4);
    return (int) INT.get(memory, addr);
  }

  @Override
  public long readLong(int addr) {
    check(addr, 8);
    return (long) LONG.get(memory, addr);
  }

  @Override
  public long readF32(int addr) {
    return readInt(addr);
  }

  @Override
  public float readFloat(int addr) {
    check(addr, 4);
    return (float) FLOAT.get(memory, addr);
  }

  @Override
  public long readF64(int addr) {
    return readLong(addr);
  }

  @Override
  public double readDouble(int addr) {
    check(addr, 8);
    return (double) DOUBLE.get(memory, addr);
  }

  @Override
  public void zero() {
    fill((byte) 0, 0, bytes);
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    int length = toIndex - fromIndex;
    checkBounds(fromIndex, length, bytes, WasmRuntimeException::new);
    if (length == 0) {
      return;
    }
    markRange(fromIndex, length);
    Arrays.fill(memory, fromIndex, toIndex, value);
  }

  @Override
  public void copy(int dest, int src, int length) {
    checkBounds(dest, length, bytes, WasmRuntimeException::new);
    checkBounds(src, length, bytes, WasmRuntimeException::new);
    if (length == 0) {
      return;
    }
    markRange(dest, length);
    System.arraycopy(memory, src, memory, dest, length); // overlap-safe
  }
}
