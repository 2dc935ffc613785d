package dev.k8swasm.module;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of one module's evaluations. Immutable; start from {@link #defaults()} or {@link
 * #builder()}.
 *
 * @param timeout the deadline of one evaluation (default 2 s)
 * @param maxMemoryBytes the largest linear memory a module may have (default 64 MiB)
 * @param maxOutputBytes the most a module may write to stdout, and separately to stderr (default 1
 *     MiB)
 * @param maxRequestBytes the largest serialised request a module is given (default 16 MiB)
 * @param maxModuleBytes the largest module file accepted at load (default 64 MiB)
 * @param maxCallDepth the deepest call nesting before the module traps (default 10,000)
 */
public record Limits(
    Duration timeout,
    long maxMemoryBytes,
    long maxOutputBytes,
    long maxRequestBytes,
    long maxModuleBytes,
    int maxCallDepth) {

  private static final Limits DEFAULTS =
      new Limits(Duration.ofSeconds(2), 64L << 20, 1L << 20, 16L << 20, 64L << 20, 10_000);

  public Limits {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    positive("maxMemoryBytes", maxMemoryBytes);
    positive("maxOutputBytes", maxOutputBytes);
    positive("maxRequestBytes", maxRequestBytes);
    positive("maxModuleBytes", maxModuleBytes);
    positive("maxCallDepth", maxCallDepth);
  }

  /** The defaults: 2 s, 64 MiB memory, 1 MiB output, 16 MiB request, 64 MiB module, depth 10k. */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The memory limit in 64 KiB Wasm pages (rounded down, at least 1). */
  public int maxMemoryPages() {
    return (int) Math.max(1, Math.min(65536, maxMemoryBytes / 65536));
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Builds {@link Limits}. */
  public static final class Builder {
    private Duration timeout;
    private long maxMemoryBytes;
    private long maxOutputBytes;
    private long maxRequestBytes;
    private long maxModuleBytes;
    private int maxCallDepth;

    private Builder(Limits from) {
      timeout = from.timeout;
      maxMemoryBytes = from.maxMemoryBytes;
      maxOutputBytes = from.maxOutputBytes;
      maxRequestBytes = from.maxRequestBytes;
      maxModuleBytes = from.maxModuleBytes;
      maxCallDepth = from.maxCallDepth;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder maxMemoryBytes(long maxMemoryBytes) {
      this.maxMemoryBytes = maxMemoryBytes;
      return this;
    }

    public Builder maxOutputBytes(long maxOutputBytes) {
      this.maxOutputBytes = maxOutputBytes;
      return this;
    }

    public Builder maxRequestBytes(long maxRequestBytes) {
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    public Builder maxModuleBytes(long maxModuleBytes) {
      this.maxModuleBytes = maxModuleBytes;
      return this;
    }

    public Builder maxCallDepth(int maxCallDepth) {
      this.maxCallDepth = maxCallDepth;
      return this;
    }

    public Limits build() {
      return new Limits(
          timeout, maxMemoryBytes, maxOutputBytes, maxRequestBytes, maxModuleBytes, maxCallDepth);
    }
  }
}
