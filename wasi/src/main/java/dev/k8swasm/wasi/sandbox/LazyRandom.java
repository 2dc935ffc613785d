package dev.k8swasm.wasi.sandbox;

import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The randomness an instance's WASI {@code random_get} uses: a fresh {@link Random} from the
 * module's supplier per evaluation, obtained only when the guest first asks for random bytes (most
 * policies never do, and creating a {@code SecureRandom} per call would cost more than the call).
 */
final class LazyRandom extends Random {
  private static final long serialVersionUID = 1L;

  private final transient Supplier<Random> supplier;
  private transient Random current;

  LazyRandom(Supplier<Random> supplier) {
    this.supplier = supplier;
  }

  /** The next evaluation gets a new source. */
  void renew() {
    current = null;
  }

  private Random current() {
    Random random = current;
    if (random == null) {
      random = Objects.requireNonNull(supplier.get(), "the spec's random() supplied null");
      current = random;
    }
    return random;
  }

  @Override
  public void nextBytes(byte[] bytes) {
    current().nextBytes(bytes);
  }

  @Override
  protected int next(int bits) {
    return current().nextInt() >>> (32 - bits);
  }

  @Override
  public int nextInt() {
    return current().nextInt();
  }

  @Override
  public long nextLong() {
    return current().nextLong();
  }

  @Override
  public synchronized void setSeed(long seed) {
    // The supplier decides the seeds; called by Random's constructor.
  }
}
