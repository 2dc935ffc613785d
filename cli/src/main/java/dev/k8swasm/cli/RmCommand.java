package dev.k8swasm.cli;

import dev.k8swasm.oci.LocalStore;
import dev.k8swasm.oci.OciOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code k8s-wasm rm URI}: removes a module from the local store, as {@code kwctl rm}. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Removes a module from the local store (as listed by 'policies').", ""})
public final class RmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URI", description = "The reference as pulled.")
  String uri;

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public RmCommand() {}

  @Override
  public Integer call() {
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(
        () -> {
          if (!new LocalStore(OciOptions.defaultStoreDir()).remove(uri)) {
            throw new CliException(uri + ": not in the local store (see k8s-wasm policies)");
          }
          PrintWriter out = spec.commandLine().getOut();
          out.println("removed " + uri);
          out.flush();
          return 0;
        });
  }
}
