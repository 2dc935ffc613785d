package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.rego.RegoModule;
import dev.k8swasm.rego.RegoModuleRuntime;
import dev.k8swasm.source.ResolvedModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options describing a single MODULE, shared by {@code run} and {@code bench}: its settings,
 * {@code --mutating}, {@code --type} and {@code --name}. Turns them, with the execution and
 * Kubewarden options, into the module's {@link ModuleSpec}.
 */
public final class ModuleOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  SettingsOptions settings;

  @Option(
      names = "--mutating",
      description = "Admission: run the module as a mutating hook (it may patch the object).")
  boolean mutating;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = Converters.ModuleType.class,
      completionCandidates = Converters.ModuleTypes.class,
      description =
          "The module type: ${COMPLETION-CANDIDATES} (default: kubewarden for a module that looks"
              + " like a Kubewarden policy, else wasi).")
  String type;

  @Option(
      names = "--entrypoint",
      paramLabel = "RULE",
      description =
          "Rego modules (--type rego): the entrypoint to evaluate, e.g. authz/allow (default: the"
              + " module's entrypoint 0).")
  String entrypoint;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The module's name in messages (default: the file name without .wasm).")
  String name;

  private String detectedType;

  /** Used by picocli. */
  public ModuleOptions() {}

  /** Whether the module runs as a mutating admission hook. */
  boolean mutating() {
    return mutating;
  }

  /** The options given on the command line, for usage messages. */
  List<String> given() {
    List<String> given = new ArrayList<>();
    if (settings != null) {
      given.add(settings.given());
    }
    if (mutating) {
      given.add("--mutating");
    }
    if (type != null) {
      given.add("--type");
    }
    if (name != null) {
      given.add("--name");
    }
    if (entrypoint != null) {
      given.add("--entrypoint");
    }
    return given;
  }

  /**
   * Rejects Kubewarden flags with {@code --type wasi}, and a blank {@code --name}.
   *
   * @throws ParameterException a usage error
   */
  void check(KubewardenRunOptions kubewarden) {
    if (ModuleType.WASI.name().equals(type) && !kubewarden.given().isEmpty()) {
      throw new ParameterException(
          command.commandLine(),
          String.join(", ", kubewarden.given())
              + " only apply to Kubewarden policies (--type kubewarden)");
    }
    if (entrypoint != null && !RegoModuleRuntime.TYPE.name().equals(type)) {
      throw new ParameterException(
          command.commandLine(), "--entrypoint only applies to Rego modules (--type rego)");
    }
    if (name != null && name.isBlank()) {
      throw new ParameterException(command.commandLine(), "--name must not be blank");
    }
  }

  /**
   * The type of {@code module}: {@code --type}, else kubewarden when Kubewarden flags are given or
   * the module looks like a Kubewarden policy (detected once), else wasi.
   */
  String type(Path module, KubewardenRunOptions kubewarden) {
    if (type != null) {
      return type;
    }
    if (detectedType == null) {
      detectedType =
          kubewarden.given().isEmpty()
              ? KubewardenRunner.detectType(module)
              : ModuleType.KUBEWARDEN.name();
    }
    return detectedType;
  }

  /**
   * The spec of {@code module} with these options, the Kubewarden options (for a Kubewarden policy)
   * and the execution options applied.
   *
   * @throws CliException when the settings or a session file cannot be read
   */
  ModuleSpec.Builder spec(
      ResolvedModule module,
      KubewardenRunOptions kubewarden,
      ExecutionOptions execution,
      DebugOption debug) {
    String moduleName =
        name != null
            ? name
            : module.reference().isLocal()
                ? defaultName(module.path())
                : module.reference().defaultName();
    String moduleType = type(module.path(), kubewarden);
    ModuleSpec.Builder b =
        ModuleSpec.builder(moduleName)
            .source(module)
            .type(moduleType)
            .settings(settings == null ? null : settings.read())
            .debug(debug.enabled());
    if (moduleType.equals(ModuleType.KUBEWARDEN.name())) {
      kubewarden.apply(b);
    }
    if (entrypoint != null) {
      b.option(RegoModule.ENTRYPOINT, TextNode.valueOf(entrypoint));
    }
    return execution.apply(b);
  }

  private static String defaultName(Path file) {
    Path fileName = file.getFileName();
    String n = fileName == null ? file.toString() : fileName.toString();
    n = n.endsWith(".wasm") ? n.substring(0, n.length() - 5) : n;
    return n.isBlank() ? "module" : n;
  }
}
