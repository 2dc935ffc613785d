package dev.k8swasm.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body on Jetty's I/O threads (never on an evaluation worker), within a size limit
 * (413) and a time limit (408). A body announced larger than the limit is refused before reading.
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
    AtomicBoolean done = new AtomicBoolean();
    Scheduler.Task timer =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () -> {
                  if (done.compareAndSet(false, true)) {
                    result.failed(
                        new HttpError(
                            408,
                            "Timeout",
                            "the request body did not arrive within "
                                + timeout.toMillis()
                                + " ms (limits.bodyTimeout)"));
                  }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    int limit = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
    Content.Source.asByteArrayAsync(request, limit)
        .whenComplete(
            (bytes, failure) -> {
              if (!done.compareAndSet(false, true)) {
                return;
              }
              timer.cancel();
              if (failure == null) {
                result.body(bytes);
              } else if (tooLarge(failure) || tooLarge(failure.getCause())) {
                result.failed(tooLarge());
              } else {
                result.failed(null);
              }
            });
  }

  /** How Jetty reports content over the limit of an aggregating read. */
  private static boolean tooLarge(Throwable failure) {
    return failure instanceof IllegalStateException || failure instanceof IllegalArgumentException;
  }

  /** The 413 answer. */
  HttpError tooLarge() {
    return new HttpError(
        413,
        "RequestEntityTooLarge",
        "the request body is larger than the limit of " + maxBytes + " bytes");
  }
}
