package dev.k8swasm.wasi.sandbox;

/**
 * A new instance per evaluation: new memory, new WASI host, new host imports, data segments and
 * start section, the initializer, then the evaluation. Nothing survives the call, so nothing can
 * leak from one evaluation into the next; the cost is the instantiation (tens of microseconds for a
 * small module, far more for one whose initialisation does real work).
 */
final class FreshLifecycle<H extends HostImports> implements Lifecycle<H> {
  private final PreparedModule<H> prepared;

  FreshLifecycle(PreparedModule<H> prepared) {
    this.prepared = prepared;
  }

  @Override
  public GuestInstance<H> acquire() {
    return new GuestInstance<>(prepared);
  }

  @Override
  public void begin(GuestInstance<H> guest, byte[] stdin) {
    guest.initialize();
    // The evaluation's stderr starts with what the initialisation wrote, for failure messages.
    guest.beginEvaluation(stdin, true);
  }

  @Override
  public void release(GuestInstance<H> guest) {
    guest.close();
  }

  @Override
  public void discard(GuestInstance<H> guest) {
    guest.close();
  }

  @Override
  public void close() {}
}
