package dev.k8swasm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code k8s-wasm scaffold}: writes documents to start from. */
@Command(
    name = "scaffold",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Writes documents to start from: an admission request made from a manifest (as 'kwctl"
          + " scaffold admission-request' does).",
      "",
      "For the kube-apiserver side (kubeconfig files for the authentication and authorization"
          + " webhooks, Mutating/ValidatingWebhookConfiguration with the CA bundle) use 'k8s-wasm"
          + " serve -c FILE --print-kube-config DIR'.",
      ""
    },
    subcommands = {AdmissionRequestScaffold.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  k8s-wasm scaffold admission-request --operation CREATE pod.yaml > review.json",
      "  k8s-wasm run policy.wasm -r review.json"
    })
public final class ScaffoldCommand implements Runnable {

  @Spec CommandSpec spec;

  /** Used by picocli. */
  public ScaffoldCommand() {}

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command (try: k8s-wasm scaffold admission-request --help)");
  }
}
