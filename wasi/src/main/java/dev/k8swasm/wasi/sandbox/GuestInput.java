package dev.k8swasm.wasi.sandbox;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The guest's stdin: a pipe that holds the evaluation's input and reports end-of-file whenever it
 * is empty. Host functions may {@linkplain #append append} more bytes during the evaluation, which
 * the guest then reads after the end-of-file it may have seen (as Kubewarden's WASI mode requires).
 * Used by one thread at a time.
 */
public final class GuestInput {
  private static final byte[] EMPTY = new byte[0];

  private byte[] buffer = EMPTY;
  private int position;
  private int limit;
  private boolean owned;
  private final InputStream stream = new Stream();

  GuestInput() {}

  /** Appends {@code bytes} (copied) after what is still unread. */
  public void append(byte[] bytes) {
    append(bytes, 0, bytes.length);
  }

  /** Appends {@code length} bytes of {@code bytes} from {@code offset} after what is unread. */
  public void append(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int unread = limit - position;
    if (!owned || limit + length > buffer.length) {
      byte[] grown = new byte[Math.max(unread + length, Math.min(buffer.length * 2, 1 << 20))];
      System.arraycopy(buffer, position, grown, 0, unread);
      buffer = grown;
      position = 0;
      limit = unread;
      owned = true;
    }
    System.arraycopy(bytes, offset, buffer, limit, length);
    limit += length;
  }

  /** How many bytes are unread. */
  public int available() {
    return limit - position;
  }

  /**
   * Starts a phase with {@code input} (not copied: the caller must not change it) as the content.
   */
  void reset(byte[] input) {
    buffer = input;
    position = 0;
    limit = input.length;
    owned = false;
  }

  /**
   * Moves up to {@code length} unread bytes into {@code memory} at {@code address}.
   *
   * @return how many bytes were moved (0 at end of input)
   */
  int readInto(com.dylibso.chicory.runtime.Memory memory, int address, int length) {
    int n = Math.min(length, limit - position);
    if (n <= 0) {
      return 0;
    }
    memory.write(address, buffer, position, n);
    position += n;
    return n;
  }

  /** The stream WASI reads. */
  InputStream stream() {
    return stream;
  }

  @Override
  public String toString() {
    return "GuestInput[" + available() + " bytes unread]";
  }

  private final class Stream extends InputStream {
    @Override
    public int read() {
      return position < limit ? buffer[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, bytes.length);
      if (length == 0) {
        return 0;
      }
      int n = Math.min(length, limit - position);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(buffer, position, bytes, offset, n);
      position += n;
      return n;
    }

    @Override
    public int available() {
      return limit - position;
    }

    @Override
    public byte[] readAllBytes() {
      byte[] rest = Arrays.copyOfRange(buffer, position, limit);
      position = limit;
      return rest;
    }
  }
}
