package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.wapc.WapcHost;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.wasi.sandbox.BoundedOutput;
import dev.k8swasm.wasi.sandbox.SandboxedModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waPC transport: an instance initialised by {@code _start} (TinyGo; {@code proc_exit(0)} is
 * success) then {@code wapc_init} (Rust), each if exported, and one {@code __guest_call} per
 * operation. Every call starts from the same state (the sandbox restores a snapshot of the instance
 * taken after its initialisation and a {@link WarmUp} with synthetic input, or makes a new
 * instance), so nothing leaks between evaluations.
 */
final class WapcTransport implements Transport {
  static final String CONTRACT = "Kubewarden waPC policy ABI";
  static final String REMEDY =
      "Build the policy with a Kubewarden policy SDK (it must export __guest_call and its memory,"
          + " and import only wapc and wasi_snapshot_preview1 functions)";

  /** The text Kubewarden (wapc-rs) puts in front of guest failures. */
  static final String GUEST_CALL_FAILURE = "Guest call failure: ";

  private static final Logger POLICY_LOG = LoggerFactory.getLogger("dev.k8swasm.kubewarden.policy");
  private static final byte[] EMPTY = new byte[0];

  private final String name;
  private final SandboxedModule<WapcHost> sandbox;

  private WapcTransport(String name, SandboxedModule<WapcHost> sandbox) {
    this.name = name;
    this.sandbox = sandbox;
  }

  /**
   * Loads the waPC policy of {@code spec}, whose host calls go to {@code dispatcher}. Under the
   * snapshot strategy the snapshot is taken after the {@link WarmUp} calls with {@code settings}.
   */
  static WapcTransport load(ModuleSpec spec, CapabilityDispatcher dispatcher, JsonNode settings) {
    String name = spec.name();
    List<WarmUp.Call> warmUp = WarmUp.calls(settings);
    SandboxedModule<WapcHost> sandbox =
        SandboxedModule.builder(spec)
            .hostImports(context -> new WapcHost(name, dispatcher))
            .initializer(
                guest -> {
                  guest.callIfExported("_start");
                  guest.callIfExported("wapc_init");
                })
            .warmUp(
                guest -> {
                  WapcHost host = guest.host();
                  host.refuseHostCalls(true);
                  try {
                    for (WarmUp.Call call : warmUp) {
                      host.prepare(call.operation(), call.payload());
                      guest.call(
                          PolicyDetection.GUEST_CALL,
                          call.operation().length,
                          call.payload().length);
                    }
                  } finally {
                    host.refuseHostCalls(false);
                  }
                })
            .contract(CONTRACT, REMEDY)
            .check(
                (module, problems) -> {
                  if (!PolicyDetection.exportsFunction(module, PolicyDetection.GUEST_CALL)) {
                    problems.add(
                        "it does not export the function '"
                            + PolicyDetection.GUEST_CALL
                            + "', so it is not a waPC guest");
                  }
                })
            .build();
    return new WapcTransport(name, sandbox);
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.KUBEWARDEN_WAPC;
  }

  @Override
  public byte[] call(String operation, byte[] payload) {
    byte[] op = operation.getBytes(StandardCharsets.UTF_8);
    try {
      return sandbox.evaluate(
          EMPTY,
          guest -> {
            WapcHost host = guest.host();
            host.prepare(op, payload);
            long[] result = guest.call(PolicyDetection.GUEST_CALL, op.length, payload.length);
            if (result == null) {
              throw failure(
                  FailureReason.EXIT_CODE, "the guest exited (proc_exit(0)) during __guest_call");
            }
            if (result.length > 0 && result[0] != 0) {
              if (host.guestResponse().isPresent()) {
                return host.guestResponse().get();
              }
              throw failure(
                  FailureReason.BAD_OUTPUT,
                  host.guestError().orElse("No error message OR response set for call success"));
            }
            throw failure(
                FailureReason.MODULE_ERROR,
                host.guestError().orElse("No error message set for call failure"));
          },
          WapcTransport::logOutput);
    } catch (ModuleException e) {
      throw wrap(name, e, GUEST_CALL_FAILURE);
    }
  }

  private ModuleException failure(FailureReason reason, String message) {
    return new ModuleException(name, reason, GUEST_CALL_FAILURE + message);
  }

  /**
   * {@code e} with Kubewarden's wording: a failure the sandbox classified gets {@code prefix}, a
   * timeout wapc's "guest code interrupted, execution deadline exceeded".
   */
  static ModuleException wrap(String name, ModuleException e, String prefix) {
    if (e.detail().startsWith(prefix) || e.reason() == FailureReason.CLOSED) {
      return e;
    }
    String detail =
        e.reason() == FailureReason.TIMEOUT
            ? "guest code interrupted, execution deadline exceeded: " + e.detail()
            : e.detail();
    return new ModuleException(name, e.reason(), prefix + detail, e);
  }

  private static void logOutput(BoundedOutput stdout, BoundedOutput stderr, boolean succeeded) {
    if (stdout.size() > 0) {
      POLICY_LOG.info("guest stdout: {}", stdout.text().stripTrailing());
    }
    if (stderr.size() > 0) {
      POLICY_LOG.info("guest stderr: {}", stderr.text().stripTrailing());
    }
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
