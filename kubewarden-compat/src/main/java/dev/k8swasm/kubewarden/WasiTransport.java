package dev.k8swasm.kubewarden;

import com.dylibso.chicory.wasi.WasiExitException;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.wasimode.WasiHostCall;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.wasi.sandbox.Initializer;
import dev.k8swasm.wasi.sandbox.SandboxedModule;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubewarden's WASI execution mode: the policy is a WASI command run from its initial state for
 * every operation, {@code _start} with argv {@code ["policy.wasm", "validate"]} or {@code
 * ["policy.wasm", "validate-settings"]}, the payload on stdin and the response on stdout; exit code
 * 0 is success. Host capabilities go through {@code host.call} ({@link WasiHostCall}).
 *
 * <p>The sandbox fixes argv per loaded module, so the policy is loaded twice: for {@code validate}
 * with the spec's engine and strategy, and for {@code validate-settings} (run at load and by {@link
 * KubewardenPolicy#validateSettings}) with the interpreter and fresh instances, which avoids
 * compiling the module a second time.
 */
final class WasiTransport implements Transport {
  static final String CONTRACT = "Kubewarden WASI execution mode";
  static final String REMEDY =
      "A WASI-mode policy is a WASI command: it exports _start and its memory and imports only"
          + " wasi_snapshot_preview1 functions and host.call";

  private static final Logger POLICY_LOG = LoggerFactory.getLogger("dev.k8swasm.kubewarden.policy");

  private final String name;
  private final SandboxedModule<WasiHostCall> validate;
  private final SandboxedModule<WasiHostCall> validateSettings;

  private WasiTransport(
      String name,
      SandboxedModule<WasiHostCall> validate,
      SandboxedModule<WasiHostCall> validateSettings) {
    this.name = name;
    this.validate = validate;
    this.validateSettings = validateSettings;
  }

  /** Loads the WASI-mode policy of {@code spec}, whose host calls go to {@code dispatcher}. */
  static WasiTransport load(ModuleSpec spec, CapabilityDispatcher dispatcher) {
    SandboxedModule<WasiHostCall> validate = sandbox(spec, dispatcher, "validate");
    try {
      ModuleSpec settingsSpec =
          spec.toBuilder().engine(Engine.INTERPRETER).strategy(InstanceStrategy.FRESH).build();
      return new WasiTransport(
          spec.name(), validate, sandbox(settingsSpec, dispatcher, "validate-settings"));
    } catch (RuntimeException e) {
      validate.close();
      throw e;
    }
  }

  private static SandboxedModule<WasiHostCall> sandbox(
      ModuleSpec spec, CapabilityDispatcher dispatcher, String command) {
    String name = spec.name();
    return SandboxedModule.builder(spec)
        .hostImports(context -> new WasiHostCall(name, dispatcher, context.stdin()))
        .initializer(Initializer.none())
        .arguments(List.of("policy.wasm", command))
        .contract(CONTRACT, REMEDY)
        .check(
            (module, problems) -> {
              if (!PolicyDetection.exportsFunction(module, "_start")) {
                problems.add("it does not export '_start', so it is not a WASI command");
              }
            })
        .build();
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.WASI;
  }

  @Override
  public byte[] call(String operation, byte[] payload) {
    SandboxedModule<WasiHostCall> sandbox =
        switch (operation) {
          case VALIDATE -> validate;
          case VALIDATE_SETTINGS -> validateSettings;
          default ->
              throw new ModuleException(
                  name,
                  FailureReason.UNSUPPORTED,
                  "operation '" + operation + "' does not exist in the WASI execution mode");
        };
    String[] stderr = {""};
    try {
      return sandbox.evaluate(
          payload,
          guest -> {
            try {
              guest.call("_start");
            } catch (RuntimeException e) {
              WasiExitException exit = exit(e);
              if (exit == null) {
                throw e;
              }
              throw new ModuleException(
                  name,
                  FailureReason.EXIT_CODE,
                  programExited(
                      "Some(" + exit.exitCode() + ")",
                      guest.stderr().text(),
                      "Exited with i32 exit status " + exit.exitCode()),
                  e);
            }
            return guest.stdout().toByteArray();
          },
          (out, err, succeeded) -> {
            stderr[0] = err.text();
            if (err.size() > 0) {
              POLICY_LOG.warn("[{}] {} stderr: {}", name, operation, err.text().stripTrailing());
            }
          });
    } catch (ModuleException e) {
      if (e.reason() == FailureReason.CLOSED
          || e.reason() == FailureReason.UNSUPPORTED
          || e.detail().startsWith("program exited")) {
        throw e;
      }
      String error =
          e.reason() == FailureReason.TIMEOUT
              ? "guest code interrupted, execution deadline exceeded: " + e.detail()
              : e.detail();
      throw new ModuleException(name, e.reason(), programExited("None", stderr[0], error), e);
    }
  }

  /** wasi_cli's wording in Kubewarden's policy-evaluator. */
  private static String programExited(String code, String stderr, String error) {
    return "program exited with code "
        + code
        + "; stderr set to '"
        + stderr
        + "', error: '"
        + error
        + "'";
  }

  private static WasiExitException exit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof WasiExitException exit && exit.exitCode() != 0) {
        return exit;
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      validate.close();
    } finally {
      validateSettings.close();
    }
  }
}
