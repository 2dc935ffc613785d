package dev.k8swasm.cli;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryImport;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.UnknownCustomSection;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.kubewarden.PolicyDetection;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.wasi.sandbox.Signatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k8s-wasm inspect MODULE}: what a module is without running it: its type and execution mode
 * (as {@code run} would detect them), exports and imports with their signatures, memory, custom
 * sections and Kubewarden metadata.
 */
@Command(
    name = "inspect",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Shows what a module is without running it: its type (a module of the k8s-wasm WASI"
          + " contract or a Kubewarden policy) and execution mode, exports and imports with"
          + " their signatures, memory, and Kubewarden metadata.",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  The module was inspected.",
      "  1  The file is missing or not a valid WebAssembly module.",
      "  2  A usage error.",
      "",
      "Examples:",
      "  k8s-wasm inspect policy.wasm",
      "  k8s-wasm inspect policy.wasm -o json | jq .metadata"
    })
public final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MODULE",
      description =
          "The module to inspect: a .wasm file, file://, https:// or registry:// (pulled into the"
              + " store on a miss).")
  String moduleReference;

  private Path module;

  @Mixin RegistryOptions registry;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default) or json.")
  String output = "text";

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public InspectCommand() {}

  @Override
  public Integer call() {
    if (!output.equals("text") && !output.equals("json")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--output must be text or json, not '" + output + "'");
    }
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(this::inspect);
  }

  private int inspect() throws IOException {
    module = registry.resolve(moduleReference).path();
    byte[] bytes = Files.readAllBytes(module);
    WasmModule wasm;
    try {
      wasm = Parser.parse(bytes);
    } catch (ChicoryException e) {
      throw new CliException(
          "not a valid WebAssembly module: " + moduleReference + ": " + e.getMessage(), e);
    }
    ObjectNode report = report(wasm, bytes);
    PrintWriter out = spec.commandLine().getOut();
    out.println(output.equals("json") ? JsonOutput.pretty(report) : text(report));
    out.flush();
    return 0;
  }

  ObjectNode report(WasmModule wasm, byte[] bytes) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("module", moduleReference);
    r.put("size", bytes.length);
    r.put("sha256", sha256(bytes));
    if (PolicyDetection.isKubewardenPolicy(wasm)) {
      r.put("type", "kubewarden");
      try {
        PolicyDetection detection = PolicyDetection.of(wasm);
        r.put("executionMode", detection.mode().wireName());
        r.put("detectedFrom", detection.reason());
        detection.metadata().ifPresent(m -> r.set("metadata", m.raw()));
      } catch (IllegalArgumentException e) {
        r.put("executionMode", ExecutionMode.KUBEWARDEN_WAPC.wireName());
        r.put("metadataError", e.getMessage());
      }
    } else {
      r.put("type", "wasi");
      ArrayNode kinds = r.putArray("evaluates");
      for (Map.Entry<String, String> e :
          Map.of(
                  "authn",
                  "TokenReview",
                  "authz",
                  "SubjectAccessReview",
                  "validate",
                  "AdmissionReview")
              .entrySet()) {
        if (exportsFunction(wasm, e.getKey())) {
          kinds.add(e.getValue());
        }
      }
    }
    memory(wasm, r);
    ArrayNode exports = r.putArray("exports");
    int importedFunctions = wasm.importSection().count(ExternalType.FUNCTION);
    for (int i = 0; i < wasm.exportSection().exportCount(); i++) {
      Export e = wasm.exportSection().getExport(i);
      ObjectNode x = exports.addObject().put("name", e.name()).put("kind", kind(e.exportType()));
      if (e.exportType() == ExternalType.FUNCTION) {
        x.put("signature", Signatures.describe(functionType(wasm, e.index(), importedFunctions)));
      }
    }
    ArrayNode imports = r.putArray("imports");
    for (int i = 0; i < wasm.importSection().importCount(); i++) {
      Import im = wasm.importSection().getImport(i);
      ObjectNode x =
          imports
              .addObject()
              .put("module", im.module())
              .put("name", im.name())
              .put("kind", kind(im.importType()));
      if (im instanceof FunctionImport f) {
        x.put("signature", Signatures.describe(wasm.typeSection().getType(f.typeIndex())));
      }
    }
    ArrayNode sections = r.putArray("customSections");
    for (CustomSection s : wasm.customSections()) {
      ObjectNode x = sections.addObject().put("name", s.name());
      if (s instanceof UnknownCustomSection u) {
        x.put("size", u.bytes().length);
      }
    }
    return r;
  }

  private static void memory(WasmModule wasm, ObjectNode r) {
    MemoryLimits limits = null;
    String where = "defined";
    if (wasm.memorySection().isPresent() && wasm.memorySection().get().memoryCount() > 0) {
      limits = wasm.memorySection().get().getMemory(0).limits();
    } else {
      for (int i = 0; i < wasm.importSection().importCount(); i++) {
        if (wasm.importSection().getImport(i) instanceof MemoryImport m) {
          limits = m.limits();
          where = "imported from " + m.module() + "." + m.name();
        }
      }
    }
    if (limits == null) {
      return;
    }
    ObjectNode m = r.putObject("memory");
    m.put("initialPages", limits.initialPages());
    if (limits.maximumPages() != MemoryLimits.MAX_PAGES) {
      m.put("maximumPages", limits.maximumPages());
    }
    m.put("shared", limits.shared());
    m.put("origin", where);
    m.put("exported", exportsMemory(wasm));
  }

  private static FunctionType functionType(WasmModule wasm, int index, int importedFunctions) {
    if (index < importedFunctions) {
      int seen = 0;
      for (int i = 0; i < wasm.importSection().importCount(); i++) {
        if (wasm.importSection().getImport(i) instanceof FunctionImport f && seen++ == index) {
          return wasm.typeSection().getType(f.typeIndex());
        }
      }
    }
    return wasm.typeSection()
        .getType(wasm.functionSection().getFunctionType(index - importedFunctions));
  }

  private static boolean exportsFunction(WasmModule wasm, String name) {
    for (int i = 0; i < wasm.exportSection().exportCount(); i++) {
      Export e = wasm.exportSection().getExport(i);
      if (e.name().equals(name) && e.exportType() == ExternalType.FUNCTION) {
        return true;
      }
    }
    return false;
  }

  private static boolean exportsMemory(WasmModule wasm) {
    for (int i = 0; i < wasm.exportSection().exportCount(); i++) {
      if (wasm.exportSection().getExport(i).exportType() == ExternalType.MEMORY) {
        return true;
      }
    }
    return false;
  }

  private static String kind(ExternalType type) {
    return type == ExternalType.FUNCTION ? "func" : type.name().toLowerCase(Locale.ROOT);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text form of {@code r}. */
  static String text(ObjectNode r) {
    StringBuilder s = new StringBuilder();
    s.append("Module:    ")
        .append(r.get("module").asText())
        .append(" (")
        .append(r.get("size").asLong())
        .append(" bytes, sha256 ")
        .append(r.get("sha256").asText())
        .append(")\n");
    if (r.get("type").asText().equals("kubewarden")) {
      s.append("Type:      kubewarden policy, execution mode ")
          .append(r.get("executionMode").asText());
      if (r.has("detectedFrom")) {
        s.append(" (detected from ").append(r.get("detectedFrom").asText()).append(")");
      }
      s.append('\n');
      if (r.has("note")) {
        s.append("Note:      ").append(r.get("note").asText()).append('\n');
      }
      if (r.has("metadataError")) {
        s.append("Metadata:  invalid: ").append(r.get("metadataError").asText()).append('\n');
      }
    } else {
      s.append("Type:      wasi (k8s-wasm module contract), evaluates ");
      s.append(r.get("evaluates").isEmpty() ? "nothing" : join(r.get("evaluates"))).append('\n');
    }
    if (r.has("memory")) {
      var m = r.get("memory");
      s.append("Memory:    ")
          .append(m.get("initialPages").asInt())
          .append(" pages initial (")
          .append(m.get("initialPages").asLong() * 64)
          .append(" KiB), ")
          .append(
              m.has("maximumPages")
                  ? "maximum " + m.get("maximumPages").asInt() + " pages"
                  : "no maximum")
          .append(m.get("shared").asBoolean() ? ", shared" : "")
          .append(", ")
          .append(m.get("origin").asText())
          .append(m.get("exported").asBoolean() ? ", exported" : ", not exported")
          .append('\n');
    } else {
      s.append("Memory:    none\n");
    }
    s.append("Exports:\n");
    table(s, r.get("exports"), false);
    s.append("Imports:\n");
    table(s, r.get("imports"), true);
    if (!r.get("customSections").isEmpty()) {
      s.append("Custom sections:\n");
      r.get("customSections")
          .forEach(
              c ->
                  s.append("  ")
                      .append(c.get("name").asText())
                      .append(c.has("size") ? " (" + c.get("size").asInt() + " bytes)" : "")
                      .append('\n'));
    }
    if (r.has("metadata")) {
      s.append("Kubewarden metadata (io.kubewarden.metadata):\n");
      for (String line : JsonOutput.pretty(r.get("metadata")).split("\n")) {
        s.append("  ").append(line).append('\n');
      }
    }
    return s.toString().stripTrailing();
  }

  private static void table(
      StringBuilder s, com.fasterxml.jackson.databind.JsonNode rows, boolean imports) {
    if (rows.isEmpty()) {
      s.append("  (none)\n");
      return;
    }
    Map<String, String> lines = new LinkedHashMap<>();
    int width = 0;
    int i = 0;
    for (var row : rows) {
      String name =
          imports
              ? row.get("module").asText() + "." + row.get("name").asText()
              : row.get("name").asText();
      width = Math.max(width, name.length());
      lines.put(
          (i++) + "\u0000" + name,
          row.get("kind").asText()
              + (row.has("signature") ? " " + row.get("signature").asText() : ""));
    }
    for (Map.Entry<String, String> e : lines.entrySet()) {
      String name = e.getKey().substring(e.getKey().indexOf('\u0000') + 1);
      s.append("  ")
          .append(name)
          .append(" ".repeat(width - name.length() + 2))
          .append(e.getValue())
          .append('\n');
    }
  }

  private static String join(com.fasterxml.jackson.databind.JsonNode array) {
    StringBuilder s = new StringBuilder();
    array.forEach(x -> s.append(s.length() == 0 ? "" : ", ").append(x.asText()));
    return s.toString();
  }
}
