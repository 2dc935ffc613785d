package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleMetadata;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PolicyModule} for tests: answers with canned JSON or a function of the request, or
 * throws {@link ModuleException}s with a chosen reason; records every request it received (parsed,
 * so tests can assert on the exact document a module sees) and how often it was closed.
 */
public final class FakeModule implements PolicyModule {

  /** Computes a module's response from the request document it received. */
  @FunctionalInterface
  public interface Responder {
    JsonNode respond(JsonNode request);
  }

  private final String name;
  private final Set<ReviewKind> kinds;
  private final Responder responder;
  private final ModuleMetadata metadata;
  private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
  private final List<byte[]> receivedBytes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger closed = new AtomicInteger();

  private FakeModule(
      String name, Set<ReviewKind> kinds, Responder responder, ModuleMetadata metadata) {
    this.name = Objects.requireNonNull(name);
    this.kinds = Set.copyOf(kinds);
    this.responder = Objects.requireNonNull(responder);
    this.metadata = Objects.requireNonNull(metadata);
  }

  /** A module of every kind computing its response with {@code responder}. */
  public static FakeModule of(String name, Responder responder) {
    return new FakeModule(name, EnumSet.allOf(ReviewKind.class), responder, ModuleMetadata.NONE);
  }

  /** A module of every kind that always answers {@code json}. */
  public static FakeModule returning(String name, String json) {
    JsonNode canned = parse(json);
    return of(name, request -> canned.deepCopy());
  }

  /** A module of every kind that always fails with {@code reason}. */
  public static FakeModule failing(String name, FailureReason reason, String detail) {
    return of(
        name,
        request -> {
          throw new ModuleException(name, reason, detail);
        });
  }

  /** A copy declaring only these kinds. */
  public FakeModule withKinds(ReviewKind... kinds) {
    Set<ReviewKind> set = EnumSet.noneOf(ReviewKind.class);
    set.addAll(List.of(kinds));
    return new FakeModule(name, set, responder, metadata);
  }

  /** A copy declaring this metadata. */
  public FakeModule withMetadata(ModuleMetadata metadata) {
    return new FakeModule(name, kinds, responder, metadata);
  }

  /** Parses test JSON. */
  public static JsonNode parse(String json) {
    try {
      return Json.reader().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<ReviewKind> kinds() {
    return kinds;
  }

  @Override
  public ModuleMetadata metadata() {
    return metadata;
  }

  @Override
  public JsonNode evaluate(ReviewKind kind, byte[] request) {
    if (closed.get() > 0) {
      throw new ModuleException(name, FailureReason.CLOSED, "closed");
    }
    if (!kinds.contains(kind)) {
      throw new ModuleException(name, FailureReason.UNSUPPORTED, "cannot evaluate " + kind);
    }
    JsonNode parsed;
    try {
      parsed = Json.reader().readTree(request);
    } catch (IOException e) {
      throw new AssertionError("the host sent invalid JSON to module " + name, e);
    }
    received.add(parsed);
    receivedBytes.add(request.clone());
    return responder.respond(parsed);
  }

  /** The requests received, in order. */
  public List<JsonNode> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The only request received (fails the test when there was not exactly one). */
  public JsonNode onlyRequest() {
    List<JsonNode> all = received();
    if (all.size() != 1) {
      throw new AssertionError(name + " received " + all.size() + " requests, expected 1");
    }
    return all.get(0);
  }

  /** The raw bytes of the requests received, in order. */
  public List<byte[]> receivedBytes() {
    synchronized (receivedBytes) {
      return List.copyOf(receivedBytes);
    }
  }

  /** How many requests were received. */
  public int calls() {
    return received.size();
  }

  /** How many times {@link #close()} was called. */
  public int closeCount() {
    return closed.get();
  }

  @Override
  public void close() {
    closed.incrementAndGet();
  }

  @Override
  public String toString() {
    return "FakeModule[" + name + "]";
  }
}
