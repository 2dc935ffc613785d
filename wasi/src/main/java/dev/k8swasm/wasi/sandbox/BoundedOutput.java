package dev.k8swasm.wasi.sandbox;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A guest's stdout or stderr: collects what the guest writes, up to a limit. Writing past the limit
 * keeps what fits and throws {@link OutputLimitExceededException}, which is unchecked so that it
 * ends the guest's execution (an {@code IOException} would only become an error code the guest
 * could ignore). Used by one thread at a time.
 */
public final class BoundedOutput extends OutputStream {
  private final String name;
  private final long limit;
  private byte[] buffer = new byte[256];
  private int size;

  /** A stream called {@code name} (for messages) that accepts at most {@code limit} bytes. */
  public BoundedOutput(String name, long limit) {
    this.name = name;
    this.limit = Math.min(limit, Integer.MAX_VALUE - 8);
  }

  @Override
  public void write(int b) {
    if (size >= limit) {
      throw new OutputLimitExceededException(name, limit);
    }
    ensureCapacity(size + 1);
    buffer[size++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    long room = limit - size;
    int accepted = (int) Math.min(room, length);
    if (accepted > 0) {
      ensureCapacity(size + accepted);
      System.arraycopy(bytes, offset, buffer, size, accepted);
      size += accepted;
    }
    if (accepted < length) {
      throw new OutputLimitExceededException(name, limit);
    }
  }

  /** Keeps the collected bytes: the guest's closing its stdio must not discard its output. */
  @Override
  public void close() {}

  /** The name given at construction, e.g. {@code stdout}. */
  public String name() {
    return name;
  }

  /** The most bytes this stream accepts. */
  public long limit() {
    return limit;
  }

  /** How many bytes were collected. */
  public int size() {
    return size;
  }

  /** A copy of the collected bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /**
   * Forgets the collected bytes, so that the stream can collect the next phase's output; a buffer
   * that grew past {@code retainedCapacity} bytes is released. For the sandbox, which reuses the
   * streams of pooled instances.
   */
  public void reset(int retainedCapacity) {
    size = 0;
    if (buffer.length > retainedCapacity) {
      buffer = new byte[256];
    }
  }

  /** The internal buffer: valid bytes are {@code [0, size())}; do not modify or keep. */
  public byte[] buffer() {
    return buffer;
  }

  /** The collected bytes decoded as UTF-8 (malformed input becomes U+FFFD). */
  public String text() {
    return new String(buffer, 0, size, StandardCharsets.UTF_8);
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      int grown = (int) Math.min(Math.max((long) buffer.length * 2, needed), limit);
      buffer = Arrays.copyOf(buffer, grown);
    }
  }
}
