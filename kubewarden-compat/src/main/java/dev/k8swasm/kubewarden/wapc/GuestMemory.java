package dev.k8swasm.kubewarden.wapc;

import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked access to a guest's linear memory for host functions: pointers and lengths are
 * unsigned 32-bit values, and every access must lie within the memory's current size, else {@link
 * GuestMemoryException}.
 */
public final class GuestMemory {
  private GuestMemory() {}

  /** The {@code len} bytes at {@code ptr}. */
  public static byte[] read(Memory memory, long ptr, long len, String function) {
    int offset = check(memory, ptr, len, function);
    return memory.readBytes(offset, (int) Integer.toUnsignedLong((int) len));
  }

  /** The UTF-8 text of the {@code len} bytes at {@code ptr} (malformed bytes replaced). */
  public static String readString(Memory memory, long ptr, long len, String function) {
    return new String(read(memory, ptr, len, function), StandardCharsets.UTF_8);
  }

  /** Writes {@code bytes} at {@code ptr}. */
  public static void write(Memory memory, long ptr, byte[] bytes, String function) {
    int offset = check(memory, ptr, bytes.length, function);
    if (bytes.length > 0) {
      memory.write(offset, bytes);
    }
  }

  private static int check(Memory memory, long ptr, long len, String function) {
    long p = Integer.toUnsignedLong((int) ptr);
    long n = Integer.toUnsignedLong((int) len);
    long size = (long) memory.pages() * Memory.PAGE_SIZE;
    if (p > size || n > size - p) {
      throw new GuestMemoryException(
          "guest memory access out of bounds in " + function + ": " + p + "+" + n + " > " + size);
    }
    return (int) p;
  }
}
