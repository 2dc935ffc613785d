package dev.k8swasm.kubewarden.wasimode;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.wapc.GuestMemory;
import dev.k8swasm.wasi.sandbox.GuestInput;
import dev.k8swasm.wasi.sandbox.HostImports;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host capability import of Kubewarden's WASI execution mode: {@code host.call} with the
 * parameters of waPC's {@code __host_call} (binding, namespace, operation, payload as pointer and
 * length pairs) but INVERTED results, 0 = success and 1 = error. The response or error bytes are
 * APPENDED to the guest's stdin, which reads as end-of-file whenever it is drained: the guest reads
 * stdin to the end after each call.
 */
public final class WasiHostCall implements HostImports {
  /** The import module. */
  public static final String MODULE = "host";

  /** The import name. */
  public static final String NAME = "call";

  private static final Logger LOG = LoggerFactory.getLogger(WasiHostCall.class);
  private static final ValType I32 = ValType.I32;

  private final String policy;
  private final CapabilityDispatcher dispatcher;
  private final GuestInput stdin;

  /**
   * The {@code host.call} of one instance of {@code policy}, appending answers to {@code stdin}.
   */
  public WasiHostCall(String policy, CapabilityDispatcher dispatcher, GuestInput stdin) {
    this.policy = policy;
    this.dispatcher = dispatcher;
    this.stdin = stdin;
  }

  @Override
  public List<HostFunction> functions() {
    return List.of(
        new HostFunction(
            MODULE,
            NAME,
            FunctionType.of(Collections.nCopies(8, I32), List.of(I32)),
            (instance, args) -> {
              var memory = instance.memory();
              String binding = GuestMemory.readString(memory, args[0], args[1], "host.call");
              String namespace = GuestMemory.readString(memory, args[2], args[3], "host.call");
              String operation = GuestMemory.readString(memory, args[4], args[5], "host.call");
              byte[] payload = GuestMemory.read(memory, args[6], args[7], "host.call");
              byte[] answer;
              long result;
              try {
                answer = dispatcher.call(binding, namespace, operation, payload);
                result = 0;
              } catch (HostCapabilityException e) {
                answer = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
                result = 1;
              } catch (RuntimeException e) {
                LOG.error(
                    "policy '{}': host call {}/{}/{} failed",
                    policy,
                    binding,
                    namespace,
                    operation,
                    e);
                answer = ("host call failed: " + e).getBytes(StandardCharsets.UTF_8);
                result = 1;
              }
              stdin.append(answer);
              return new long[] {result};
            }));
  }
}
