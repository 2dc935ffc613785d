package dev.k8swasm.wasi.sandbox;

import static dev.k8swasm.wasi.sandbox.TrackedMemory.BLOCKS_PER_PAGE;
import static dev.k8swasm.wasi.sandbox.TrackedMemory.BLOCK_SHIFT;
import static dev.k8swasm.wasi.sandbox.TrackedMemory.BLOCK_SIZE;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import java.util.Arrays;

/**
 * The content of a linear memory at one moment: its page count and its 4 KiB blocks, where blocks
 * of zeros are not stored. Immutable; shared by every instance restored from it.
 */
final class MemorySnapshot {
  private final int pages;
  private final byte[][] blocks;
  private final DataSegment[] segments;

  private MemorySnapshot(int pages, byte[][] blocks, DataSegment[] segments) {
    this.pages = pages;
    this.blocks = blocks;
    this.segments = segments;
  }

  /** A snapshot of the first {@code pages} pages of {@code memory}, and of the segments' state. */
  static MemorySnapshot of(byte[] memory, int pages, DataSegment[] segments) {
    byte[][] blocks = new byte[pages * BLOCKS_PER_PAGE][];
    for (int b = 0; b < blocks.length; b++) {
      int from = b << BLOCK_SHIFT;
      if (!isZero(memory, from)) {
        blocks[b] = Arrays.copyOfRange(memory, from, from + BLOCK_SIZE);
      }
    }
    return new MemorySnapshot(pages, blocks, segments == null ? null : segments.clone());
  }

  private static boolean isZero(byte[] page, int from) {
    for (int i = from; i < from + BLOCK_SIZE; i++) {
      if (page[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The page count. */
  int pages() {
    return pages;
  }

  /** The size in bytes. */
  long bytes() {
    return (long) pages * Memory.PAGE_SIZE;
  }

  /** The data segments (some may have been dropped); do not modify. */
  DataSegment[] segments() {
    return segments;
  }

  /** Copies block {@code b} into {@code memory} at {@code offset}. */
  void copyBlock(int b, byte[] memory, int offset) {
    byte[] block = blocks[b];
    if (block == null) {
      Arrays.fill(memory, offset, offset + BLOCK_SIZE, (byte) 0);
    } else {
      System.arraycopy(block, 0, memory, offset, BLOCK_SIZE);
    }
  }

  /**
   * Copies the first {@code length} bytes of block {@code b} into {@code memory} at {@code offset}.
   */
  void copyRange(int b, byte[] memory, int offset, int length) {
    byte[] block = blocks[b];
    if (block == null) {
      Arrays.fill(memory, offset, offset + length, (byte) 0);
    } else {
      System.arraycopy(block, 0, memory, offset, length);
    }
  }

  /** The byte at {@code address} (tests). */
  byte byteAt(int address) {
    byte[] block = blocks[address >>> BLOCK_SHIFT];
    return block == null ? 0 : block[address & (BLOCK_SIZE - 1)];
  }
}
