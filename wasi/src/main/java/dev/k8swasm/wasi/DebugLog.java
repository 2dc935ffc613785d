package dev.k8swasm.wasi;

import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.wasi.sandbox.BoundedOutput;
import dev.k8swasm.wasi.sandbox.Messages;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The debug log of one module, logger {@code dev.k8swasm.wasi.module.<name>}. Everything logged
 * passes {@link dev.k8swasm.json.Redaction} first, together with the bearer token of the request
 * under review, so tokens never reach the log, not even repeated bare by a module. Stderr is logged
 * at DEBUG always; input and output envelopes only when the module's {@code debug} is on.
 */
final class DebugLog {
  private static final int LOGGED_CHARS = 64 * 1024;

  private final Logger logger;
  private final boolean envelopes;

  DebugLog(String module, boolean envelopes) {
    this.logger = LoggerFactory.getLogger("dev.k8swasm.wasi.module." + module);
    this.envelopes = envelopes;
  }

  /** Whether anything would be logged (the logger's DEBUG level is on). */
  boolean active() {
    return logger.isDebugEnabled();
  }

  /** Logs the input envelope; {@code secret} supplies text to leave out (the token), or null. */
  void input(ReviewKind kind, byte[] envelope, Supplier<String> secret) {
    if (envelopes && logger.isDebugEnabled()) {
      logger.debug("{} input: {}", kind.wireKind(), excerpt(envelope, secret));
    }
  }

  /** Logs the output envelope without the text {@code secret} supplies. */
  void output(ReviewKind kind, BoundedOutput stdout, Supplier<String> secret) {
    if (envelopes && logger.isDebugEnabled()) {
      logger.debug("{} output: {}", kind.wireKind(), excerpt(stdout.toByteArray(), secret));
    }
  }

  /** Logs stderr, if any, without the text {@code secret} supplies. */
  void stderr(ReviewKind kind, BoundedOutput stderr, Supplier<String> secret) {
    if (stderr.size() > 0 && logger.isDebugEnabled()) {
      logger.debug(
          "{} stderr: {}",
          kind.wireKind(),
          Messages.excerpt(stderr.text(), Messages.STDERR_CHARS, secret.get()));
    }
  }

  private static String excerpt(byte[] bytes, Supplier<String> secret) {
    return Messages.excerpt(new String(bytes, StandardCharsets.UTF_8), LOGGED_CHARS, secret.get());
  }
}
