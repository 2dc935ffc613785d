package dev.k8swasm.wasi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A loaded WASI contract module. Thread-safe: every evaluation builds its own envelope and stdio
 * and runs in its own instance; the shared parts are immutable.
 */
final class WasiPolicyModule implements PolicyModule {
  private final String name;
  private final Map<ReviewKind, String> entryPoints;
  private final Limits limits;
  private final Envelope envelope;
  private final InstanceLifecycle lifecycle;
  private final Sandbox sandbox;
  private final DebugLog log;
  private final Clock clock;
  private final Supplier<Random> random;
  private volatile boolean closed;

  /**
   * The module {@code spec} describes, whose exports are {@code shape}, run by {@code lifecycle}.
   */
  WasiPolicyModule(ModuleSpec spec, ModuleShape shape, InstanceLifecycle lifecycle) {
    this.name = spec.name();
    this.entryPoints = shape.entryPoints();
    this.limits = spec.limits();
    this.envelope = new Envelope(spec.settings());
    this.lifecycle = lifecycle;
    this.sandbox = new Sandbox(name, lifecycle, limits);
    this.log = new DebugLog(name, spec.debug());
    this.clock = spec.clock();
    this.random = spec.random();
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
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new ModuleException(
          name, FailureReason.CLOSED, "the module is closed; load it again to evaluate");
    }
    String export = entryPoint(kind);
    checkRequest(request);
    byte[] input = envelope.wrap(request);
    log.input(kind, input);
    Random randomness = Objects.requireNonNull(random.get(), "the spec's random() supplied null");
    GuestIo io = GuestIo.of(input, limits.maxOutputBytes(), clock, randomness);
    try {
      sandbox.run(export, io);
    } finally {
      log.stderr(kind, io.stderr());
      log.output(kind, io.stdout());
    }
    return ResponseReader.read(name, io.stdout(), io.stderr());
  }

  private String entryPoint(ReviewKind kind) {
    String export = entryPoints.get(kind);
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
    lifecycle.close();
  }

  @Override
  public String toString() {
    return "WasiPolicyModule[" + name + ", " + kinds() + "]";
  }
}
