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
 * <p>Storage is one {@code byte[]} per 64 KiB page, like Chicory's {@code ByteArrayMemory}: a page
 * slot past the current size is {@code null}, so an access out of bounds fails on its own without a
 * bounds check. Every write path marks the blocks it touches: the stores of every width (which
 * compiled and interpreted code and WASI all reach through this interface), {@code write}, {@code
 * fill}, {@code copy}, data segment initialisation and {@code memory.init}, and the atomic
 * read-modify-write operations (which the interface implements with the plain stores). A store of
 * up to 8 bytes marks only the block it starts in; {@link #restore} also restores the first bytes
 * of the next block, where such a store may spill. Pages added by {@code grow} are new or
 * previously zeroed pages, so the untouched part of a grown page is zero.
 *
 * <p>Not shared: one thread at a time, like the instance that owns it.
 */
final class TrackedMemory implements Memory {
  static final int BLOCK_SHIFT = 12;
  static final int BLOCK_SIZE = 1 << BLOCK_SHIFT;
  static final int BLOCKS_PER_PAGE = PAGE_SIZE / BLOCK_SIZE;

  /** The most bytes a single store writes; a store marks its first block only. */
  private static final int SPILL = 7;

  /** Zeroed pages kept past the snapshot's size for reuse, at most (16 MiB). */
  private static final int MAX_SPARE_PAGES = 256;

  private static final int PAGE_SHIFT = 16;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

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
  private final byte[][] pages;
  private byte[] dirty;
  private int size;
  private byte[][] spare = new byte[0][];
  private int spareCount;

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
    this.pages = new byte[maxPages][];
    this.size = Math.min(limits.initialPages(), maxPages);
    for (int i = 0; i < size; i++) {
      pages[i] = new byte[PAGE_SIZE];
    }
    this.dirty = new byte[Math.max(size, 1) * BLOCKS_PER_PAGE];
  }

  // ---- snapshot support ----

  /** A copy of the current content: page count and every non-zero block. */
  MemorySnapshot snapshot() {
    return MemorySnapshot.of(pages, size, segments);
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
    int snapshotPages = snapshot.pages();
    if (full) {
      restoreFull(snapshot);
    } else {
      restoreDirty(snapshot);
    }
    // Shrink: pages past the snapshot's size are zero now; keep some of them for the next grow.
    for (int p = size - 1; p >= snapshotPages; p--) {
      byte[] page = pages[p];
      pages[p] = null;
      if (spareCount < MAX_SPARE_PAGES) {
        if (spareCount == spare.length) {
          spare = Arrays.copyOf(spare, Math.max(4, spare.length * 2));
        }
        spare[spareCount++] = page;
      }
    }
    size = snapshotPages;
    segments = snapshot.segments();
    originalSegments = snapshot.segments();
    deniedGrowth = -1;
  }

  private void restoreFull(MemorySnapshot snapshot) {
    int snapshotPages = snapshot.pages();
    while (size < snapshotPages) {
      addPage();
    }
    for (int p = 0; p < size; p++) {
      byte[] page = pages[p];
      if (p < snapshotPages) {
        snapshot.copyPage(p, page);
      } else {
        Arrays.fill(page, (byte) 0);
      }
    }
    Arrays.fill(dirty, (byte) 0);
  }

  private void restoreDirty(MemorySnapshot snapshot) {
    int snapshotBlocks = snapshot.pages() * BLOCKS_PER_PAGE;
    int blocks = size * BLOCKS_PER_PAGE;
    byte[] marks = dirty;
    for (int b = 0; b < blocks; b++) {
      if (marks[b] == 0) {
        continue;
      }
      marks[b] = 0;
      byte[] page = pages[b >>> (PAGE_SHIFT - BLOCK_SHIFT)];
      int offset = (b & (BLOCKS_PER_PAGE - 1)) << BLOCK_SHIFT;
      if (b < snapshotBlocks) {
        snapshot.copyBlock(b, page, offset);
      } else {
        Arrays.fill(page, offset, offset + BLOCK_SIZE, (byte) 0);
      }
      // A store that started at the end of this block may have spilled into the next one.
      int next = b + 1;
      if (next < blocks && marks[next] == 0) {
        byte[] nextPage = pages[next >>> (PAGE_SHIFT - BLOCK_SHIFT)];
        int nextOffset = (next & (BLOCKS_PER_PAGE - 1)) << BLOCK_SHIFT;
        if (next < snapshotBlocks) {
          snapshot.copyRange(next, nextPage, nextOffset, SPILL);
        } else {
          Arrays.fill(nextPage, nextOffset, nextOffset + SPILL, (byte) 0);
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
    int blocks = size * BLOCKS_PER_PAGE;
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

  // ---- Memory ----

  @Override
  public int pages() {
    return size;
  }

  @Override
  public int grow(int delta) {
    int previous = size;
    long wanted = (long) previous + delta;
    if (delta < 0 || wanted > maxPages) {
      if (delta > 0 && wanted > configuredLimitPages) {
        deniedGrowth = delta;
      }
      return -1;
    }
    for (int i = 0; i < delta; i++) {
      addPage();
    }
    return previous;
  }

  private void addPage() {
    byte[] page;
    if (spareCount > 0) {
      page = spare[--spareCount];
      spare[spareCount] = null;
    } else {
      page = new byte[PAGE_SIZE];
    }
    pages[size] = page;
    size++;
    int blocks = size * BLOCKS_PER_PAGE;
    if (blocks > dirty.length) {
      dirty =
          Arrays.copyOf(
              dirty, Math.max(blocks, Math.min(dirty.length * 2, maxPages * BLOCKS_PER_PAGE)));
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
        checkBounds(offset, data.length, sizeInBytes(), UninstantiableException::new);
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

  private int sizeInBytes() {
    return size << PAGE_SHIFT;
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

  private RuntimeException outOfBounds(RuntimeException e, int addr, int size) {
    if (e instanceof IndexOutOfBoundsException
        || e instanceof IllegalArgumentException
        || e instanceof NullPointerException
        || e instanceof NegativeArraySizeException) {
      return new WasmRuntimeException(
          "out of bounds memory access: attempted to access address: "
              + addr
              + " but limit is: "
              + sizeInBytes()
              + " and size: "
              + size);
    }
    return e;
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
    checkBounds(addr, length, sizeInBytes(), WasmRuntimeException::new);
    if (length == 0) {
      return;
    }
    markRange(addr, length);
    int a = addr;
    int o = offset;
    int remaining = length;
    while (remaining > 0) {
      int pageOffset = a & PAGE_MASK;
      int chunk = Math.min(remaining, PAGE_SIZE - pageOffset);
      System.arraycopy(data, o, pages[a >>> PAGE_SHIFT], pageOffset, chunk);
      a += chunk;
      o += chunk;
      remaining -= chunk;
    }
  }

  @Override
  public byte read(int addr) {
    try {
      return pages[addr >>> PAGE_SHIFT][addr & PAGE_MASK];
    } catch (RuntimeException e) {
      throw outOfBounds(e, addr, 1);
    }
  }

  /** Copies {@code length} bytes at {@code addr} into {@code dest} at {@code offset}. */
  void read(int addr, byte[] dest, int offset, int length) {
    checkBounds(addr, length, sizeInBytes(), WasmRuntimeException::new);
    int a = addr;
    int d = offset;
    int remaining = length;
    while (remaining > 0) {
      int pageOffset = a & PAGE_MASK;
      int chunk = Math.min(remaining, PAGE_SIZE - pageOffset);
      System.arraycopy(pages[a >>> PAGE_SHIFT], pageOffset, dest, d, chunk);
      a += chunk;
      d += chunk;
      remaining -= chunk;
    }
  }

  @Override
  public byte[] readBytes(int addr, int length) {
    checkBounds(addr, length, sizeInBytes(), WasmRuntimeException::new);
    byte[] result = new byte[length];
    int a = addr;
    int d = 0;
    int remaining = length;
    while (remaining > 0) {
      int pageOffset = a & PAGE_MASK;
      int chunk = Math.min(remaining, PAGE_SIZE - pageOffset);
      System.arraycopy(pages[a >>> PAGE_SHIFT], pageOffset, result, d, chunk);
      a += chunk;
      d += chunk;
      remaining -= chunk;
    }
    return result;
  }

  @Override
  public void writeByte(int addr, byte data) {
    try {
      pages[addr >>> PAGE_SHIFT][addr & PAGE_MASK] = data;
    } catch (RuntimeException e) {
      throw outOfBounds(e, addr, 1);
    }
    dirty[addr >>> BLOCK_SHIFT] = 1;
  }

  @Override
  public void writeShort(int addr, short data) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 2) {
      try {
        SHORT.set(pages[addr >>> PAGE_SHIFT], off, data);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 2);
      }
      dirty[addr >>> BLOCK_SHIFT] = 1;
    } else {
      checkBounds(addr, 2, sizeInBytes(), WasmRuntimeException::new);
      writeByte(addr, (byte) data);
      writeByte(addr + 1, (byte) (data >>> 8));
    }
  }

  @Override
  public void writeI32(int addr, int data) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 4) {
      try {
        INT.set(pages[addr >>> PAGE_SHIFT], off, data);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 4);
      }
      dirty[addr >>> BLOCK_SHIFT] = 1;
    } else {
      checkBounds(addr, 4, sizeInBytes(), WasmRuntimeException::new);
      for (int i = 0; i < 4; i++) {
        writeByte(addr + i, (byte) (data >>> (8 * i)));
      }
    }
  }

  @Override
  public void writeLong(int addr, long data) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 8) {
      try {
        LONG.set(pages[addr >>> PAGE_SHIFT], off, data);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 8);
      }
      dirty[addr >>> BLOCK_SHIFT] = 1;
    } else {
      checkBounds(addr, 8, sizeInBytes(), WasmRuntimeException::new);
      for (int i = 0; i < 8; i++) {
        writeByte(addr + i, (byte) (data >>> (8 * i)));
      }
    }
  }

  @Override
  public void writeF32(int addr, float data) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 4) {
      try {
        FLOAT.set(pages[addr >>> PAGE_SHIFT], off, data);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 4);
      }
      dirty[addr >>> BLOCK_SHIFT] = 1;
    } else {
      writeI32(addr, Float.floatToRawIntBits(data));
    }
  }

  @Override
  public void writeF64(int addr, double data) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 8) {
      try {
        DOUBLE.set(pages[addr >>> PAGE_SHIFT], off, data);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 8);
      }
      dirty[addr >>> BLOCK_SHIFT] = 1;
    } else {
      writeLong(addr, Double.doubleToRawLongBits(data));
    }
  }

  @Override
  public short readShort(int addr) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 2) {
      try {
        return (short) SHORT.get(pages[addr >>> PAGE_SHIFT], off);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 2);
      }
    }
    return (short) ((read(addr) & 0xFF) | ((read(addr + 1) & 0xFF) << 8));
  }

  @Override
  public long readU16(int addr) {
    return readShort(addr) & 0xFFFFL;
  }

  @Override
  public int readInt(int addr) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 4) {
      try {
        return (int) INT.get(pages[addr >>> PAGE_SHIFT], off);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 4);
      }
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value |= (read(addr + i) & 0xFF) << (8 * i);
    }
    return value;
  }

  @Override
  public long readLong(int addr) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 8) {
      try {
        return (long) LONG.get(pages[addr >>> PAGE_SHIFT], off);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 8);
      }
    }
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value |= (read(addr + i) & 0xFFL) << (8 * i);
    }
    return value;
  }

  @Override
  public long readF32(int addr) {
    return readInt(addr);
  }

  @Override
  public float readFloat(int addr) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 4) {
      try {
        return (float) FLOAT.get(pages[addr >>> PAGE_SHIFT], off);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 4);
      }
    }
    return Float.intBitsToFloat(readInt(addr));
  }

  @Override
  public long readF64(int addr) {
    return readLong(addr);
  }

  @Override
  public double readDouble(int addr) {
    int off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 8) {
      try {
        return (double) DOUBLE.get(pages[addr >>> PAGE_SHIFT], off);
      } catch (RuntimeException e) {
        throw outOfBounds(e, addr, 8);
      }
    }
    return Double.longBitsToDouble(readLong(addr));
  }

  @Override
  public void zero() {
    fill((byte) 0, 0, sizeInBytes());
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    int remaining = toIndex - fromIndex;
    checkBounds(fromIndex, remaining, sizeInBytes(), WasmRuntimeException::new);
    if (remaining == 0) {
      return;
    }
    markRange(fromIndex, remaining);
    int a = fromIndex;
    while (remaining > 0) {
      int pageOffset = a & PAGE_MASK;
      int chunk = Math.min(remaining, PAGE_SIZE - pageOffset);
      Arrays.fill(pages[a >>> PAGE_SHIFT], pageOffset, pageOffset + chunk, value);
      a += chunk;
      remaining -= chunk;
    }
  }

  @Override
  public void copy(int dest, int src, int length) {
    int limit = sizeInBytes();
    checkBounds(dest, length, limit, WasmRuntimeException::new);
    checkBounds(src, length, limit, WasmRuntimeException::new);
    if (length == 0) {
      return;
    }
    markRange(dest, length);
    if (dest > src && dest < src + length) {
      copyBackward(dest, src, length);
    } else {
      copyForward(dest, src, length);
    }
  }

  private void copyForward(int dest, int src, int length) {
    while (length > 0) {
      int destOffset = dest & PAGE_MASK;
      int srcOffset = src & PAGE_MASK;
      int chunk = Math.min(length, PAGE_SIZE - Math.max(destOffset, srcOffset));
      System.arraycopy(
          pages[src >>> PAGE_SHIFT], srcOffset, pages[dest >>> PAGE_SHIFT], destOffset, chunk);
      dest += chunk;
      src += chunk;
      length -= chunk;
    }
  }

  private void copyBackward(int dest, int src, int length) {
    dest += length;
    src += length;
    while (length > 0) {
      int destInPage = dest & PAGE_MASK;
      int srcInPage = src & PAGE_MASK;
      int destAvail = destInPage == 0 ? PAGE_SIZE : destInPage;
      int srcAvail = srcInPage == 0 ? PAGE_SIZE : srcInPage;
      int chunk = Math.min(length, Math.min(destAvail, srcAvail));
      dest -= chunk;
      src -= chunk;
      System.arraycopy(
          pages[src >>> PAGE_SHIFT],
          src & PAGE_MASK,
          pages[dest >>> PAGE_SHIFT],
          dest & PAGE_MASK,
          chunk);
      length -= chunk;
    }
  }
}
