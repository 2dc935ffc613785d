package dev.k8swasm.cli;

import dev.k8swasm.admission.RuleMatcher;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.source.ResolvedModule;
import dev.k8swasm.source.SourceOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k8s-wasm run}: evaluates one request with one module or a configured chain and prints the
 * answer.
 */
@Command(
    name = "run",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Evaluates one request with a module (MODULE) or with the chain configured in a file"
          + " (--config), and prints the answer (JSON, YAML or a summary: --output).",
      "",
      "The kind of request is detected: a TokenReview is authenticated (the module exports"
          + " 'authn'), a SubjectAccessReview authorized ('authz'), an AdmissionReview or a bare"
          + " AdmissionRequest admitted ('validate'; the answer carries a base64 JSONPatch).",
      "",
      "The answer has the shape of the request, whatever the module type: a TokenReview,"
          + " SubjectAccessReview or AdmissionReview with its status or response filled in, or"
          + " for a bare AdmissionRequest just the AdmissionResponse (what 'kwctl run' prints)."
          + " Kubewarden policies (type detected from their metadata or exports, or --type"
          + " kubewarden) run as 'kwctl run' runs them.",
      ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  The request was evaluated: allowed, denied, not authenticated or no",
      "     opinion.",
      "     A module failure (trap, timeout, error, bad output) is part of the answer",
      "     too: an error in the status, or for admission allowed:false with code 500.",
      "  1  A failure, printed as one line 'error: ...': missing or invalid module,",
      "     configuration or request, or a module that cannot evaluate the request's",
      "     kind. With --fail-on-error also a module failure during evaluation (the",
      "     answer is still printed).",
      "  2  A usage error.",
      "",
      "Examples:",
      "  k8s-wasm run magic_authenticator.wasm -r tokenreview.json",
      "  k8s-wasm run policy.wasm --mutating --settings-json '{\"k\":\"v\"}' -r req.yaml",
      "  k8s-wasm run --config admission.yaml -r admissionreview.json",
      "  k8s-wasm run policy.wasm -r pod.json \\",
      "      --replay-host-capabilities-interactions session.yml",
      "  k8s-wasm run policy.wasm -r pod.json --allowed-host-capabilities 'oci/*'",
      "  k8s-wasm run policy.wasm -r req.yaml --output pretty  # the decision in words",
      "  cat request.json | k8s-wasm run policy.wasm -r -",
      "  k8s-wasm run raw-policy.wasm --raw -r raw-request.json"
    })
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MODULE",
      description =
          "The module to run: a .wasm file, file://, https:// or"
              + " registry://HOST[:PORT]/REPO[:TAG][@sha256:DIGEST] (pulled into the store on a"
              + " miss). Give either MODULE or --config.")
  String moduleReference;

  private Path module;

  private ResolvedModule resolved;

  @Mixin RegistryOptions registry;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Run the chain configured in FILE (YAML or JSON module list or AdmissionConfiguration)"
              + " instead of one MODULE. Admission runs the whole chain: mutators, then"
              + " validators.")
  Path config;

  @Mixin RequestOption request;

  @Mixin OutputOption output;

  @Mixin ModuleOptions moduleOptions;

  @Mixin ExecutionOptions execution;

  @Mixin KubewardenRunOptions kubewarden;

  @Option(
      names = "--raw",
      description =
          "Kubewarden: run a raw policy (policyType raw, as kwctl run --raw). The request is any"
              + " JSON or YAML document (kwctl's {\"request\": ...} wrapper is unwrapped); the"
              + " answer is the response, a patch applying to the document.")
  boolean raw;

  @Option(
      names = "--fail-on-error",
      description =
          "Exit with 1 when a module fails during evaluation (trap, timeout, error, bad output),"
              + " after printing the answer. Without it such failures are part of the answer and"
              + " the exit code is 0.")
  boolean failOnError;

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public RunCommand() {}

  @Override
  public Integer call() {
    checkUsage();
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(() -> run(errors));
  }

  private int run(Errors errors) {
    if (moduleReference != null) {
      resolved = registry.resolve(moduleReference);
      module = resolved.path();
    }
    if (raw) {
      if (!moduleOptions.type(module, kubewarden).equals(ModuleType.KUBEWARDEN.name())) {
        throw new CliException(
            "--raw runs Kubewarden raw policies, and "
                + moduleReference
                + " is not a Kubewarden policy (give --type kubewarden if it is one)");
      }
      return print(
          ReviewKind.ADMISSION,
          KubewardenRunner.runRaw(moduleSpec(), request.document(System.in)),
          errors);
    }
    ReviewRequest review = request.read();
    review.secret().ifPresent(errors::addSecret);
    warnIfExempt(review);
    LOG.debug(
        "{}: {}{}",
        review.source(),
        review.kind().wireKind(),
        review instanceof ReviewRequest.Admission a && a.bare() ? " (bare AdmissionRequest)" : "");
    if (module != null
        && review instanceof ReviewRequest.Admission admission
        && moduleOptions.type(module, kubewarden).equals(ModuleType.KUBEWARDEN.name())) {
      return print(
          review.kind(),
          KubewardenRunner.run(moduleSpec(), admission, moduleOptions.mutating()),
          errors);
    }
    try (Decider decider =
        module != null
            ? Deciders.forModule(moduleSpec(), review.kind(), moduleOptions.mutating())
            : Deciders.forConfig(config, review.kind(), this::customize)) {
      long start = System.nanoTime();
      Decider.Outcome outcome = decider.decide(review);
      LOG.debug(
          "evaluated in {} us{}",
          (System.nanoTime() - start) / 1000,
          outcome.failure().map(f -> "; module failure: " + errors.redact(f)).orElse(""));
      return print(review.kind(), outcome, errors);
    }
  }

  /**
   * Prints the answer in the chosen format, and a summary on stderr when a person is watching (a
   * terminal) and the answer itself is not already the summary.
   */
  private int print(ReviewKind kind, Decider.Outcome outcome, Errors errors) {
    PrintWriter out = spec.commandLine().getOut();
    output.print(out, outcome.document(), () -> Summary.of(kind, outcome.document()));
    if (output.format() != OutputFormat.PRETTY && System.console() != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(Summary.of(kind, outcome.document()));
      err.flush();
    }
    if (failOnError && outcome.failure().isPresent()) {
      return errors.report(
          "module evaluation failed: " + outcome.failure().get() + " (--fail-on-error)",
          null,
          true);
    }
    return 0;
  }

  /** Config mode: the command line's engine and limits override the configured ones. */
  private ModuleSpec.Builder customize(ModuleSpec.Builder b) {
    execution.apply(b);
    registry.apply(b, SourceOptions.PullPolicy.IF_NOT_PRESENT);
    if (debug.enabled()) {
      b.debug(true);
    }
    return b;
  }

  private static void warnIfExempt(ReviewRequest review) {
    if (review instanceof ReviewRequest.Admission a
        && a.review().request() != null
        && RuleMatcher.isExempt(a.review().request())) {
      LOG.warn(
          "{}: admissionregistration.k8s.io configuration objects are exempt from admission (as"
              + " in Kubernetes): the request is allowed without asking any module",
          review.source());
    }
  }

  private ModuleSpec moduleSpec() {
    ModuleSpec.Builder b = moduleOptions.spec(resolved, kubewarden, execution, debug);
    if (raw) {
      b.option("policyType", com.fasterxml.jackson.databind.node.TextNode.valueOf("raw"));
    }
    return b.build();
  }

  private void checkUsage() {
    if (moduleReference != null && config != null) {
      throw new ParameterException(
          spec.commandLine(), "Give either MODULE or --config FILE, not both");
    }
    if (moduleReference == null && config == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing MODULE or --config FILE (give exactly one)");
    }
    if (config != null) {
      List<String> singleOnly = new ArrayList<>(moduleOptions.given());
      singleOnly.addAll(kubewarden.given());
      if (!singleOnly.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            String.join(", ", singleOnly)
                + " only apply to a single MODULE; with --config they are set in the"
                + " configuration file");
      }
    }
    if (raw && config != null) {
      throw new ParameterException(
          spec.commandLine(), "--raw runs one MODULE; it does not apply to --config");
    }
    if (raw && failOnError) {
      throw new ParameterException(
          spec.commandLine(),
          "--fail-on-error does not apply to --raw: a failing raw policy answers with code 500");
    }
    moduleOptions.check(kubewarden);
    if (!kubewarden.cluster.given().isEmpty() && !kubewarden.allowContextAware) {
      throw new ParameterException(
          spec.commandLine(),
          String.join(", ", kubewarden.cluster.given())
              + " only apply with --allow-context-aware (the cluster context-aware policies read)");
    }
  }
}
