package dev.k8swasm.wasi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The guest's stdin and stdout as WASI holds them for the life of an instance, pointed at what the
 * current phase needs. While the module initialises (start section, {@code _initialize}) stdin is
 * empty and stdout is discarded, though still bounded; {@link #call()} switches them to the
 * evaluation's input envelope and output buffer. Used by one thread at a time.
 */
final class PhasedStdio {
  private final GuestIo io;
  private InputStream in = InputStream.nullInputStream();
  private OutputStream out;

  PhasedStdio(GuestIo io) {
    this.io = io;
    this.out = new BoundedOutput("stdout", io.stdout().limit());
  }

  /** From now on stdin is the input envelope and stdout the evaluation's output. */
  void call() {
    in = new ByteArrayInputStream(io.stdin());
    out = io.stdout();
  }

  /** The stdin to give WASI. */
  InputStream stdin() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        return in.read();
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        return in.read(bytes, offset, length);
      }

      @Override
      public int available() throws IOException {
        return in.available();
      }
    };
  }

  /** The stdout to give WASI. */
  OutputStream stdout() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }
    };
  }
}
