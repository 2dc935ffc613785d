package dev.k8swasm.cli;

import dev.k8swasm.oci.StoredModule;
import dev.k8swasm.source.ModuleSourceException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code k8s-wasm pull URI}: fetches a module into the local store, as {@code kwctl pull}. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Pulls a module from an OCI registry (registry://HOST[:PORT]/REPO[:TAG][@sha256:DIGEST]) or"
          + " an https:// URL into the local store, even when a copy is stored. A pinned digest"
          + " is checked; a tag is resolved to a digest. With --verification-config-path the"
          + " module's signatures are checked before it is stored.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  k8s-wasm pull registry://ghcr.io/kubewarden/policies/pod-privileged:v0.3.2",
      "  k8s-wasm pull registry://127.0.0.1:5000/policies/x:v1 \\",
      "      --sources-path sources.yml"
    })
public final class PullCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URI", description = "The module to pull.")
  String uri;

  @Mixin RegistryOptions registry;

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public PullCommand() {}

  @Override
  public Integer call() {
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(
        () -> {
          StoredModule m;
          try {
            m = registry.client().pull(uri);
          } catch (ModuleSourceException e) {
            throw new CliException(e.getMessage(), e);
          }
          PrintWriter out = spec.commandLine().getOut();
          out.println(
              m.reference()
                  + " "
                  + m.manifestDigest().map(d -> "manifest " + d + ", ").orElse("")
                  + "module "
                  + m.digest()
                  + ", "
                  + m.size()
                  + " bytes");
          out.flush();
          return 0;
        });
  }
}
