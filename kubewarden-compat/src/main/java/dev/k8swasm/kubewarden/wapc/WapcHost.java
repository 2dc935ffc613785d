package dev.k8swasm.kubewarden.wapc;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.wasi.sandbox.HostImports;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waPC host of ONE instance: the nine {@code wapc} imports and the per-call state they share
 * (the pending operation and payload, the guest's response and error, the last host response and
 * error). Not thread-safe: an instance is used by one thread at a time.
 *
 * <p>The guest always allocates; the host only copies into pointers it is given, and every pointer
 * is bounds-checked ({@link GuestMemory}).
 */
public final class WapcHost implements HostImports {
  /** The import module of the waPC functions. */
  public static final String MODULE = "wapc";

  /** The names of the nine waPC imports. */
  public static final List<String> FUNCTIONS =
      List.of(
          "__guest_request",
          "__guest_response",
          "__guest_error",
          "__host_call",
          "__host_response_len",
          "__host_response",
          "__host_error_len",
          "__host_error",
          "__console_log");

  private static final Logger CONSOLE = LoggerFactory.getLogger("dev.k8swasm.kubewarden.policy");
  private static final Logger LOG = LoggerFactory.getLogger(WapcHost.class);
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] REFUSED =
      "host capabilities are not available while the policy warms up"
          .getBytes(StandardCharsets.UTF_8);
  private static final ValType I32 = ValType.I32;

  private final String policy;
  private final CapabilityDispatcher dispatcher;

  private byte[] operation = EMPTY;
  private byte[] payload = EMPTY;
  private byte[] guestResponse;
  private byte[] guestError;
  private byte[] hostResponse;
  private byte[] hostError;
  private boolean hostCallsRefused;

  /** The host of one instance of {@code policy}, answering host calls with {@code dispatcher}. */
  public WapcHost(String policy, CapabilityDispatcher dispatcher) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
  }

  @Override
  public void reset() {
    prepare(EMPTY, EMPTY);
  }

  /**
   * Stores the next call's operation and payload and clears the guest response, guest error, host
   * response and host error, as the host must before every {@code __guest_call}.
   */
  public void prepare(byte[] operation, byte[] payload) {
    this.operation = operation;
    this.payload = payload;
    guestResponse = null;
    guestError = null;
    hostResponse = null;
    hostError = null;
  }

  /**
   * Whether host calls are answered with a host error instead of reaching the capabilities (while
   * the policy warms up at load: a synthetic request must neither reach a cluster or a registry nor
   * leave their answers in the snapshot every evaluation starts from).
   */
  public void refuseHostCalls(boolean refused) {
    this.hostCallsRefused = refused;
  }

  /** What the guest passed to {@code __guest_response} during the call, if it did. */
  public Optional<byte[]> guestResponse() {
    return Optional.ofNullable(guestResponse);
  }

  /** What the guest passed to {@code __guest_error} during the call, as text, if it did. */
  public Optional<String> guestError() {
    return Optional.ofNullable(guestError).map(e -> new String(e, StandardCharsets.UTF_8));
  }

  @Override
  public List<HostFunction> functions() {
    return List.of(
        function("__guest_request", List.of(I32, I32), List.of(), this::guestRequest),
        function("__guest_response", List.of(I32, I32), List.of(), this::guestResponse),
        function("__guest_error", List.of(I32, I32), List.of(), this::guestError),
        function(
            "__host_call",
            List.of(I32, I32, I32, I32, I32, I32, I32, I32),
            List.of(I32),
            this::hostCall),
        function("__host_response_len", List.of(), List.of(I32), this::hostResponseLen),
        function("__host_response", List.of(I32), List.of(), this::hostResponse),
        function("__host_error_len", List.of(), List.of(I32), this::hostErrorLen),
        function("__host_error", List.of(I32), List.of(), this::hostError),
        function("__console_log", List.of(I32, I32), List.of(), this::consoleLog));
  }

  private interface Handler {
    long[] apply(Instance instance, long[] args);
  }

  private static HostFunction function(
      String name, List<ValType> params, List<ValType> results, Handler handler) {
    return new HostFunction(
        MODULE,
        name,
        FunctionType.of(params, results),
        (instance, args) -> handler.apply(instance, args));
  }

  private long[] guestRequest(Instance instance, long[] args) {
    GuestMemory.write(instance.memory(), args[0], operation, "__guest_request");
    GuestMemory.write(instance.memory(), args[1], payload, "__guest_request");
    return null;
  }

  private long[] guestResponse(Instance instance, long[] args) {
    guestResponse = GuestMemory.read(instance.memory(), args[0], args[1], "__guest_response");
    return null;
  }

  private long[] guestError(Instance instance, long[] args) {
    guestError = GuestMemory.read(instance.memory(), args[0], args[1], "__guest_error");
    return null;
  }

  private long[] hostCall(Instance instance, long[] args) {
    hostResponse = null;
    hostError = null;
    String binding = GuestMemory.readString(instance.memory(), args[0], args[1], "__host_call");
    String namespace = GuestMemory.readString(instance.memory(), args[2], args[3], "__host_call");
    String op = GuestMemory.readString(instance.memory(), args[4], args[5], "__host_call");
    byte[] request = GuestMemory.read(instance.memory(), args[6], args[7], "__host_call");
    if (hostCallsRefused) {
      hostError = REFUSED;
      return new long[] {0};
    }
    try {
      hostResponse = dispatcher.call(binding, namespace, op, request);
      return new long[] {1};
    } catch (HostCapabilityException e) {
      hostError = message(e).getBytes(StandardCharsets.UTF_8);
      return new long[] {0};
    } catch (RuntimeException e) {
      LOG.error("policy '{}': host call {}/{}/{} failed", policy, binding, namespace, op, e);
      hostError = ("host call failed: " + message(e)).getBytes(StandardCharsets.UTF_8);
      return new long[] {0};
    }
  }

  private long[] hostResponseLen(Instance instance, long[] args) {
    return new long[] {hostResponse == null ? 0 : hostResponse.length};
  }

  private long[] hostResponse(Instance instance, long[] args) {
    if (hostResponse != null) {
      GuestMemory.write(instance.memory(), args[0], hostResponse, "__host_response");
    }
    return null;
  }

  private long[] hostErrorLen(Instance instance, long[] args) {
    return new long[] {hostError == null ? 0 : hostError.length};
  }

  private long[] hostError(Instance instance, long[] args) {
    if (hostError != null) {
      GuestMemory.write(instance.memory(), args[0], hostError, "__host_error");
    }
    return null;
  }

  private long[] consoleLog(Instance instance, long[] args) {
    String message = GuestMemory.readString(instance.memory(), args[0], args[1], "__console_log");
    CONSOLE.info("[{}] {}", policy, message);
    return null;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
