package dev.k8swasm.cli;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import dev.k8swasm.kubewarden.PolicyDetection;
import dev.k8swasm.source.ModuleSourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k8s-wasm push FILE registry://...}: pushes a module as an OCI Wasm artifact, its manifest
 * annotated with the policy metadata's annotations as {@code kwctl push} does.
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Pushes a module to an OCI registry as a Wasm artifact (layer"
          + " application/vnd.wasm.content.layer.v1+wasm, config"
          + " application/vnd.wasm.config.v1+json). A Kubewarden policy's metadata annotations"
          + " (io.kubewarden.policy.*) become the manifest's annotations, as with kwctl push."
          + " Prints the manifest digest.",
      ""
    },
    footerHeading = "%nExample:%n",
    footer = {"  k8s-wasm push policy.wasm registry://127.0.0.1:5000/policies/x:v1"})
public final class PushCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The module (.wasm) to push.")
  Path file;

  @Parameters(
      index = "1",
      paramLabel = "URI",
      description = "Where to: registry://HOST[:PORT]/REPO:TAG.")
  String uri;

  @Mixin RegistryOptions registry;

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public PushCommand() {}

  @Override
  public Integer call() {
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(
        () -> {
          Deciders.checkModuleFile(file);
          Map<String, String> annotations = annotations(file);
          String digest;
          try {
            digest = registry.client().push(file, uri, annotations);
          } catch (ModuleSourceException e) {
            throw new CliException(e.getMessage(), e);
          }
          PrintWriter out = spec.commandLine().getOut();
          out.println(uri + "@" + digest);
          out.flush();
          return 0;
        });
  }

  /** The string annotations of a Kubewarden policy's metadata; none for other modules. */
  static Map<String, String> annotations(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    byte[] bytes = Files.readAllBytes(file);
    try {
      var wasm = Parser.parse(bytes);
      if (!PolicyDetection.isKubewardenPolicy(wasm)) {
        return out;
      }
      PolicyDetection.of(wasm).metadata().ifPresent(m -> out.putAll(m.annotations()));
    } catch (ChicoryException e) {
      throw new CliException("not a valid WebAssembly module: " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException(file + ": invalid Kubewarden metadata: " + e.getMessage(), e);
    }
    return out;
  }
}
