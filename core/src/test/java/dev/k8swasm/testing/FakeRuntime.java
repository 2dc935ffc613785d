package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleMetadata;
import dev.k8swasm.module.ModuleRuntime;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ModuleRuntime} for core's tests, registered (in core's test class path only) under the
 * type {@code wasi}, since core has no real runtime. Its "module files" are JSON descriptions:
 *
 * <pre>{@code
 * {"kinds": ["AUTHENTICATION"],            // default: all three
 *  "fail": "LOAD_FAILED", "detail": "...",  // load fails with this ModuleException
 *  "crash": "message",                      // load fails with an IllegalStateException
 *  "metadata": {"rules": [...], "mutating": true},
 *  "answer": {...}}                         // the response to every evaluation; for
 *                                           // admission, the request uid is echoed in it
 * }</pre>
 *
 * Every module loaded is remembered with its spec, so tests can check what was loaded and that it
 * was closed.
 */
public final class FakeRuntime implements ModuleRuntime {

  /** A module this runtime loaded, and the spec it was loaded from. */
  public record Loaded(ModuleSpec spec, FakeModule module) {}

  private static final List<Loaded> LOADED = new CopyOnWriteArrayList<>();

  @Override
  public ModuleType type() {
    return ModuleType.WASI;
  }

  /** The modules loaded from files under {@code dir}, in load order. */
  public static List<Loaded> loadedUnder(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    List<Loaded> found = new ArrayList<>();
    for (Loaded l : LOADED) {
      if (l.spec().path().map(p -> p.toAbsolutePath().normalize().startsWith(root)).orElse(false)) {
        found.add(l);
      }
    }
    return found;
  }

  @Override
  public PolicyModule load(ModuleSpec spec) {
    Path path = spec.path().orElseThrow(() -> new IllegalArgumentException("bytes not supported"));
    JsonNode description;
    try {
      description = Json.readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new ModuleException(spec.name(), FailureReason.LOAD_FAILED, "file not found: " + path);
    } catch (IOException | IllegalArgumentException e) {
      throw new ModuleException(spec.name(), FailureReason.LOAD_FAILED, "not a module: " + path);
    }
    if (description.has("fail")) {
      throw new ModuleException(
          spec.name(),
          FailureReason.valueOf(description.path("fail").asText()),
          description.path("detail").asText("load failed"));
    }
    if (description.has("crash")) {
      throw new IllegalStateException(description.path("crash").asText());
    }
    Set<ReviewKind> kinds = EnumSet.noneOf(ReviewKind.class);
    if (description.has("kinds")) {
      description.path("kinds").forEach(k -> kinds.add(ReviewKind.valueOf(k.asText())));
    } else {
      kinds.addAll(EnumSet.allOf(ReviewKind.class));
    }
    JsonNode answer = description.path("answer");
    FakeModule module =
        FakeModule.of(
                spec.name(),
                request -> {
                  JsonNode copy = answer.deepCopy();
                  if (copy.path("response").isObject()) {
                    ((ObjectNode) copy.get("response"))
                        .set("uid", request.path("request").path("uid"));
                  }
                  return copy;
                })
            .withKinds(kinds.toArray(ReviewKind[]::new))
            .withMetadata(metadata(spec, description.path("metadata")));
    LOADED.add(new Loaded(spec, module));
    return module;
  }

  private static ModuleMetadata metadata(ModuleSpec spec, JsonNode m) {
    if (m.isMissingNode()) {
      return ModuleMetadata.NONE;
    }
    ModuleMetadata.Builder b = ModuleMetadata.builder().raw(m);
    if (m.has("rules")) {
      try {
        b.rules(RuleWithOperations.listOf(m.get("rules")));
      } catch (IllegalArgumentException e) {
        // as a real runtime reports invalid metadata: a load failure naming the field
        throw new ModuleException(
            spec.name(), FailureReason.LOAD_FAILED, "invalid metadata: " + e.getMessage());
      }
    }
    if (m.has("mutating")) {
      b.mutating(m.get("mutating").asBoolean());
    }
    return b.build();
  }
}
