package dev.k8swasm.wasi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.wasi.sandbox.BoundedOutput;
import dev.k8swasm.wasi.sandbox.OutputObserver;
import dev.k8swasm.wasi.sandbox.SandboxedModule;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A loaded WASI contract module: wraps the request in the input envelope, runs the entry point in
 * the {@link SandboxedModule} and reads the output envelope. Thread-safe: every evaluation builds
 * its own envelope and runs in an instance of its own; the shared parts are immutable.
 */
final class WasiPolicyModule implements PolicyModule {
  private static final Supplier<String> NONE = () -> null;

  private final String name;
  private final Map<ReviewKind, String> entryPoints;
  private final String[] exports = new String[ReviewKind.values().length];
  private final Limits limits;
  private final Envelope envelope;
  private final SandboxedModule<?> sandbox;
  private final DebugLog log;
  private final OutputReader<JsonNode> treeReader;
  private volatile boolean closed;

  /** The module {@code spec} describes, whose exports are {@code shape}, run by {@code sandbox}. */
  WasiPolicyModule(ModuleSpec spec, ModuleShape shape, SandboxedModule<?> sandbox) {
    this.name = spec.name();
    this.entryPoints = shape.entryPoints();
    entryPoints.forEach((kind, export) -> exports[kind.ordinal()] = export);
    this.limits = spec.limits();
    this.envelope = new Envelope(spec.settings());
    this.sandbox = sandbox;
    this.log = new DebugLog(name, spec.debug());
    this.treeReader = (stdout, stderr, token) -> ResponseReader.read(name, stdout, stderr, token);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<ReviewKind> kinds() {
    return entryPoints.keySet();
  }

  @Override
  public JsonNode evaluate(ReviewKind kind, byte[] request) {
    return run(kind, request, treeReader);
  }

  /** Binds the response straight from the module's stdout, without building a tree. */
  @Override
  public <T> T evaluate(ReviewKind kind, byte[] request, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return run(
            kind,
            request,
            (stdout, stderr, token) -> ResponseReader.read(name, stdout, stderr, token, type))
        .get();
  }

  /** Reads the result of an evaluation from the guest's outputs. */
  @FunctionalInterface
  private interface OutputReader<R> {
    R read(BoundedOutput stdout, BoundedOutput stderr, Supplier<String> token);
  }

  private <R> R run(ReviewKind kind, byte[] request, OutputReader<R> reader) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new ModuleException(
          name, FailureReason.CLOSED, "the module is closed; load it again to evaluate");
    }
    String export = entryPoint(kind);
    checkRequest(request);
    byte[] input = envelope.wrap(request);
    Supplier<String> token = kind == ReviewKind.AUTHENTICATION ? RequestToken.of(request) : NONE;
    log.input(kind, input, token);
    OutputObserver observer =
        log.active()
            ? (stdout, stderr, succeeded) -> {
              log.stderr(kind, stderr, token);
              log.output(kind, stdout, token);
            }
            : null;
    return sandbox.evaluate(
        input,
        guest -> {
          guest.call(export);
          return reader.read(guest.stdout(), guest.stderr(), token);
        },
        observer,
        token);
  }

  /** The sandbox running the module (tests, benchmarks). */
  SandboxedModule<?> sandbox() {
    return sandbox;
  }

  private String entryPoint(ReviewKind kind) {
    String export = exports[kind.ordinal()];
    if (export == null) {
      throw new ModuleException(
          name,
          FailureReason.UNSUPPORTED,
          "does not export '"
              + ModuleShape.exportName(kind)
              + "', so it cannot evaluate a "
              + kind.wireKind()
              + " (it evaluates: "
              + entryPoints.keySet().stream()
                  .map(ReviewKind::wireKind)
                  .collect(Collectors.joining(", "))
              + ")");
    }
    return export;
  }

  private void checkRequest(byte[] request) {
    if (request.length > limits.maxRequestBytes()) {
      throw new ModuleException(
          name,
          FailureReason.BAD_REQUEST,
          "the request is "
              + request.length
              + " bytes, more than the limit of "
              + limits.maxRequestBytes()
              + " bytes (Limits.maxRequestBytes)");
    }
    if (!startsWithObject(request)) {
      throw new ModuleException(
          name, FailureReason.BAD_REQUEST, "the request is not a JSON object");
    }
  }

  private static boolean startsWithObject(byte[] request) {
    for (byte b : request) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b == '{';
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    sandbox.close();
  }

  @Override
  public String toString() {
    return "WasiPolicyModule[" + name + ", " + kinds() + "]";
  }
}
