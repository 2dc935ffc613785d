package dev.k8swasm.testing;

/**
 * State attached to a {@link Policy} that lives for one test, such as host capability stubs: the
 * {@link WasmPolicy} extension calls {@link #verify()} and then {@link #reset()} after each test,
 * so a policy loaded once per class starts every test afresh.
 *
 * <p>An attachment can be injected into test methods by its type (e.g. {@code
 * HostCapabilityStubs}).
 */
public interface PerTestState {

  /**
   * Fails the test that just ran when it left something wrong (e.g. the policy made a call nobody
   * expected).
   *
   * @throws AssertionError saying what was wrong
   */
  void verify();

  /** Forgets what the last test set up and recorded. */
  void reset();
}
