package dev.k8swasm.cli;

import dev.k8swasm.oci.LocalStore;
import dev.k8swasm.oci.OciOptions;
import dev.k8swasm.oci.StoredModule;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code k8s-wasm policies}: lists the local store, as {@code kwctl policies}. */
@Command(
    name = "policies",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists the modules in the local store: reference, module digest, size and when pulled.",
      ""
    })
public final class PoliciesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public PoliciesCommand() {}

  @Override
  public Integer call() {
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(
        () -> {
          List<StoredModule> all = new LocalStore(OciOptions.defaultStoreDir()).list();
          PrintWriter out = spec.commandLine().getOut();
          if (all.isEmpty()) {
            out.println("(no modules in " + OciOptions.defaultStoreDir() + ")");
          }
          for (StoredModule m : all) {
            out.printf("%s  %s  %d bytes  %s%n", m.reference(), m.digest(), m.size(), m.pulledAt());
          }
          out.flush();
          return 0;
        });
  }
}
