package dev.k8swasm.kubewarden;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.SectionId;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.metadata.PolicyMetadata;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a Kubewarden policy is run, as far as the module itself says: from its metadata, or without
 * metadata from its exports and imports (as Kubewarden does: {@code opa_*} exports mean Rego,
 * anything else waPC; k8s-wasm also recognises a WASI-mode command by its {@code host.call} import
 * or its {@code _start} without {@code __guest_call}). Immutable.
 */
public final class PolicyDetection {

  /** The export every waPC guest has. */
  public static final String GUEST_CALL = "__guest_call";

  private final ExecutionMode mode;
  private final String reason;
  private final PolicyMetadata metadata;

  private PolicyDetection(ExecutionMode mode, String reason, PolicyMetadata metadata) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.metadata = metadata;
  }

  /** The execution mode. */
  public ExecutionMode mode() {
    return mode;
  }

  /** How the mode was found, for messages ("its metadata", "no metadata; exports opa_*", ...). */
  public String reason() {
    return reason;
  }

  /** The policy's metadata, if it has any. */
  public Optional<PolicyMetadata> metadata() {
    return Optional.ofNullable(metadata);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyDetection d
        && mode == d.mode
        && reason.equals(d.reason)
        && Objects.equals(metadata, d.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, reason, metadata);
  }

  @Override
  public String toString() {
    return "PolicyDetection[mode=" + mode + ", reason=" + reason + ", metadata=" + metadata + "]";
  }

  /**
   * Reads the module {@code spec} names and detects how it runs.
   *
   * @throws ModuleException {@link dev.k8swasm.module.FailureReason#LOAD_FAILED} when the module
   *     cannot be read or parsed, or its metadata is invalid
   */
  static PolicyDetection read(ModuleSpec spec) {
    byte[] bytes;
    try {
      bytes = spec.path().isPresent() ? Files.readAllBytes(spec.path().get()) : spec.bytes().get();
    } catch (IOException e) {
      throw LoadFailures.of(
          spec, "cannot read the module: " + e, "Check the module path and its permissions", e);
    }
    if (bytes.length > spec.limits().maxModuleBytes()) {
      // the sandbox reports this with the limit's name
      return new PolicyDetection(ExecutionMode.KUBEWARDEN_WAPC, "too large", null);
    }
    WasmModule module;
    try {
      module = declarations(bytes);
    } catch (ChicoryException e) {
      throw LoadFailures.of(
          spec,
          "invalid WebAssembly module: " + e.getMessage(),
          "The file may be truncated or corrupt, or use a feature Chicory does not support",
          e);
    } catch (RuntimeException | StackOverflowError e) {
      throw LoadFailures.of(
          spec,
          "invalid WebAssembly module (" + e + ")",
          "The file may be truncated or corrupt",
          e);
    }
    try {
      return PolicyDetection.of(module);
    } catch (IllegalArgumentException e) {
      throw LoadFailures.of(
          spec, e.getMessage(), "Fix the metadata (kwctl annotate) or remove the section", e);
    }
  }

  /**
   * The declarations of a module, all that detection reads: its custom sections (undecoded), types,
   * imports and exports. The function bodies are skipped and the module is not validated (the
   * runtime that loads it does both), so this costs milliseconds where a full parse of a
   * megabyte-sized TinyGo policy takes seconds in a cold JVM.
   *
   * @throws ChicoryException or another runtime exception when the bytes are not a module
   */
  static WasmModule declarations(byte[] bytes) {
    Parser.Builder parser = Parser.builder().withValidation(false).withCustomParsers(Map.of());
    for (int section :
        new int[] {SectionId.CUSTOM, SectionId.TYPE, SectionId.IMPORT, SectionId.EXPORT}) {
      parser.includeSectionId(section);
    }
    return parser.build().parse(() -> new ByteArrayInputStream(bytes));
  }

  /**
   * Whether the module {@code bytes} looks like a Kubewarden policy (see {@link
   * #isKubewardenPolicy(WasmModule)}), reading only its declarations.
   *
   * @throws ChicoryException or another runtime exception when the bytes are not a module
   */
  public static boolean isKubewardenPolicy(byte[] bytes) {
    return isKubewardenPolicy(declarations(bytes));
  }

  /**
   * Detects how {@code module} runs.
   *
   * @throws IllegalArgumentException when its metadata section is invalid
   */
  public static PolicyDetection of(WasmModule module) {
    Optional<PolicyMetadata> found = PolicyMetadata.of(module);
    if (found.isPresent()) {
      return new PolicyDetection(found.get().executionMode(), "its metadata", found.get());
    }
    PolicyMetadata metadata = null;
    if (exportsPrefix(module, "opa_")) {
      return new PolicyDetection(ExecutionMode.OPA, "no metadata; exports opa_*", metadata);
    }
    if (exportsFunction(module, GUEST_CALL)) {
      return new PolicyDetection(
          ExecutionMode.KUBEWARDEN_WAPC, "no metadata; exports " + GUEST_CALL, metadata);
    }
    if (importsHostCall(module)) {
      return new PolicyDetection(ExecutionMode.WASI, "no metadata; imports host.call", metadata);
    }
    if (exportsFunction(module, "_start")) {
      return new PolicyDetection(
          ExecutionMode.WASI, "no metadata; exports _start without " + GUEST_CALL, metadata);
    }
    return new PolicyDetection(
        ExecutionMode.KUBEWARDEN_WAPC, "no metadata; Kubewarden's default", metadata);
  }

  /**
   * Whether {@code module} looks like a Kubewarden policy rather than a module of the k8s-wasm WASI
   * contract: it has Kubewarden metadata, exports {@code __guest_call} or {@code opa_*}, or imports
   * {@code wapc.*} or {@code host.call}.
   */
  public static boolean isKubewardenPolicy(WasmModule module) {
    if (module.customSections().stream().anyMatch(s -> PolicyMetadata.SECTION.equals(s.name()))) {
      return true;
    }
    if (exportsFunction(module, GUEST_CALL) || exportsPrefix(module, "opa_")) {
      return true;
    }
    for (int i = 0; i < module.importSection().importCount(); i++) {
      Import imported = module.importSection().getImport(i);
      if (imported.module().equals("wapc")) {
        return true;
      }
    }
    return importsHostCall(module);
  }

  static boolean exportsFunction(WasmModule module, String name) {
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      if (export.name().equals(name) && export.exportType() == ExternalType.FUNCTION) {
        return true;
      }
    }
    return false;
  }

  private static boolean exportsPrefix(WasmModule module, String prefix) {
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      if (module.exportSection().getExport(i).name().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean importsHostCall(WasmModule module) {
    for (int i = 0; i < module.importSection().importCount(); i++) {
      Import imported = module.importSection().getImport(i);
      if (imported.module().equals("host") && imported.name().equals("call")) {
        return true;
      }
    }
    return false;
  }
}
