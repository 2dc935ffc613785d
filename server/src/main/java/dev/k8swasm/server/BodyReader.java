package dev.k8swasm.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body on Jetty's I/O threads (never on an evaluation worker), within a size limit
 * (413) and a time limit (408). A body announced larger than the limit is refused before reading;
 * one that grows past it is refused as soon as it does, without reading the rest.
 *
 * <p>The body is read chunk by chunk with {@link Request#read()} and {@link Request#demand}, not
 * with Jetty's aggregating reads: those fail the request itself when the limit is passed, and that
 * failure can arrive after the 413 was sent, on the next request of the same HTTP/2 connection.
 */
final class BodyReader {
  private final long maxBytes;
  private final Duration timeout;

  /** What became of a body. */
  interface Result {
    /** The whole body arrived. */
    void body(byte[] body);

    /** The body was refused ({@code error}) or the client went away ({@code error} null). */
    void failed(HttpError error);
  }

  BodyReader(long maxBytes, Duration timeout) {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
  }

  /** The body size limit. */
  long maxBytes() {
    return maxBytes;
  }

  /** Reads the body of {@code request}; calls {@code result} exactly once. */
  void read(Request request, Result result) {
    long length = request.getLength();
    if (length > maxBytes) {
      result.failed(tooLarge());
      return;
    }
    Accumulation accumulation = new Accumulation(request, result, length);
    accumulation.timer =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () ->
                    accumulation.finish(
                        null,
                        new HttpError(
                            408,
                            "Timeout",
                            "the request body did not arrive within "
                                + timeout.toMillis()
                                + " ms (limits.bodyTimeout)")),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    accumulation.run();
  }

  /** The 413 answer. */
  HttpError tooLarge() {
    return new HttpError(
        413,
        "RequestEntityTooLarge",
        "the request body is larger than the limit of " + maxBytes + " bytes");
  }

  /** One body being read: runs again each time Jetty has more of it. */
  private final class Accumulation implements Runnable {
    private final Request request;
    private final Result result;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Scheduler.Task timer;
    private byte[] bytes;
    private int size;

    Accumulation(Request request, Result result, long length) {
      this.request = request;
      this.result = result;
      this.bytes = new byte[length > 0 ? (int) length : 1024];
    }

    @Override
    public void run() {
      while (!done.get()) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          // a last failure: the stream was reset or the connection lost; a transient one (an
          // idle timeout) is answered like the body timeout
          finish(
              null,
              chunk.isLast()
                  ? null
                  : new HttpError(408, "Timeout", "the request body stopped arriving"));
          return;
        }
        try {
          ByteBuffer buffer = chunk.getByteBuffer();
          int n = buffer.remaining();
          if ((long) size + n > maxBytes) {
            finish(null, tooLarge());
            return;
          }
          if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(size + n, 2L * size)));
          }
          buffer.get(bytes, size, n);
          size += n;
        } finally {
          chunk.release();
        }
        if (chunk.isLast()) {
          finish(size == bytes.length ? bytes : Arrays.copyOf(bytes, size), null);
          return;
        }
      }
    }

    /** Reports the body or the error, once; whatever comes later is ignored. */
    void finish(byte[] body, HttpError error) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      Scheduler.Task t = timer;
      if (t != null) {
        t.cancel();
      }
      if (body != null) {
        result.body(body);
      } else {
        result.failed(error);
      }
    }
  }
}
