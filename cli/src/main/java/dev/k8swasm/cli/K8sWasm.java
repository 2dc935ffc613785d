package dev.k8swasm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code k8s-wasm} command. Each subcommand is its own class; options shared between
 * subcommands are picocli mixins ({@link ExecutionOptions}, {@link RequestOption}, {@link
 * DebugOption}).
 *
 * <p>Exit codes: 0 when a request was evaluated (whatever the decision), 1 for failures (one line
 * on stderr starting with {@code error:}), 2 for usage errors.
 */
@Command(
    name = "k8s-wasm",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Kubernetes authentication, authorization and admission decided by WebAssembly modules.",
      ""
    },
    subcommands = {
      RunCommand.class,
      ServeCommand.class,
      InspectCommand.class,
      BenchCommand.class,
      PullCommand.class,
      PushCommand.class,
      PoliciesCommand.class,
      RmCommand.class,
      ScaffoldCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  The request was evaluated (allowed, denied, not authenticated, no opinion).",
      "  1  A failure: missing or invalid module, configuration or request.",
      "  2  A usage error.",
      "",
      "Set K8S_WASM_DEBUG=1 (or pass --debug) for debug logs and stack traces."
    })
public final class K8sWasm implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Creates the top command; use it with {@code new CommandLine(new K8sWasm())}. */
  public K8sWasm() {}

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command (try: k8s-wasm run --help)");
  }

  /**
   * A command line for {@code k8s-wasm}, as {@link #main} uses it: usage errors print the problem
   * and a hint to {@code --help} rather than the whole usage text.
   */
  public static CommandLine commandLine() {
    CommandLine cmd =
        new CommandLine(new K8sWasm())
            .setParameterExceptionHandler(K8sWasm::usageError)
            .setCaseInsensitiveEnumValuesAllowed(true);
    verbatimFooters(cmd);
    return cmd;
  }

  /**
   * Footers (exit codes, examples) are printed as written, never re-wrapped to the terminal's
   * width: an example command stays on its line and can be copied and pasted. They are written to
   * fit 80 columns, long commands continued with a backslash.
   */
  private static void verbatimFooters(CommandLine cmd) {
    cmd.getHelpSectionMap()
        .put(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
            help -> {
              StringBuilder out = new StringBuilder();
              for (String line : help.commandSpec().usageMessage().footer()) {
                out.append(line.replace("%n", System.lineSeparator()))
                    .append(System.lineSeparator());
              }
              return out.toString();
            });
    cmd.getSubcommands().values().forEach(K8sWasm::verbatimFooters);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
    if (!UnmatchedArgumentException.printSuggestions(e, err)) {
      err.println(
          "Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Runs the command and exits with its exit code. */
  public static void main(String[] args) {
    // Before any logger exists, so that the first lines have the asked format and level.
    Logging.configure(args, System.getenv());
    System.exit(commandLine().execute(args));
  }
}
