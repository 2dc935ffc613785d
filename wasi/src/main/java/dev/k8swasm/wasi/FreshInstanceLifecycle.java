package dev.k8swasm.wasi;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiPreview1;

/**
 * A new instance per evaluation: new WASI host, new memory ({@link ByteArrayMemory} within the
 * module's memory limits), start section and {@code _initialize} run (with empty stdin and
 * discarded stdout), then the export. Nothing survives the call, so nothing can leak from one
 * evaluation into the next.
 */
final class FreshInstanceLifecycle implements InstanceLifecycle {
  private final PreparedModule prepared;

  FreshInstanceLifecycle(PreparedModule prepared) {
    this.prepared = prepared;
  }

  @Override
  public void run(String export, GuestIo io) {
    PhasedStdio stdio = new PhasedStdio(io);
    try (WasiPreview1 wasi = WasiHost.create(stdio, io)) {
      Instance instance =
          Instance.builder(prepared.module())
              .withImportValues(
                  ImportValues.builder().addFunction(WasiHost.functions(wasi)).build())
              .withMachineFactory(prepared.machines())
              .withUnsafeExecutionListener(InterruptCheck.INSTANCE)
              .withMemoryFactory(ByteArrayMemory::new)
              .withMemoryLimits(prepared.memory())
              .withTableFactory(prepared.tables())
              .withStart(false)
              .build();
      if (prepared.reactor()) {
        instance.export(ModuleShape.INITIALIZE).apply();
      }
      stdio.call();
      instance.export(export).apply();
    }
  }

  @Override
  public void close() {}
}
