package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Operation;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code k8s-wasm scaffold admission-request}: the AdmissionReview kube-apiserver would send an
 * admission webhook for a manifest, as {@code kwctl scaffold admission-request} writes it.
 */
@Command(
    name = "admission-request",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Prints the AdmissionReview that kube-apiserver would send an admission webhook for the"
          + " object in FILE (a manifest, JSON or YAML), ready for 'k8s-wasm run -r'. Kind,"
          + " resource, name and namespace are taken from the object; the options are those"
          + " kube-apiserver sends; the user is kubernetes-admin (groups system:masters and"
          + " system:authenticated) unless --user is given.",
      "",
      "CREATE needs the object; UPDATE the object and --old-object; DELETE the object being"
          + " deleted (FILE, sent as oldObject).",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  k8s-wasm scaffold admission-request --operation CREATE pod.yaml > review.json",
      "  k8s-wasm scaffold admission-request --operation UPDATE pod-v2.yaml \\",
      "      --old-object pod.yaml -o yaml",
      "  k8s-wasm scaffold admission-request --operation CREATE pod.yaml \\",
      "      | k8s-wasm run policy.wasm -r -"
    })
public final class AdmissionRequestScaffold implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--operation",
      paramLabel = "OPERATION",
      required = true,
      description = "CREATE, UPDATE or DELETE.")
  Operation operation;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "The object (for DELETE: the object being deleted). Same as --object.")
  Path file;

  @Option(names = "--object", paramLabel = "FILE", description = "The object (kwctl's flag).")
  Path object;

  @Option(
      names = "--old-object",
      paramLabel = "FILE",
      description = "UPDATE: the object as it is now, before the update.")
  Path oldObject;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "The requesting user (default: kubernetes-admin).")
  String user;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description = "A group of --user (repeatable; default with --user: system:authenticated).")
  List<String> groups;

  @Option(
      names = "--uid",
      paramLabel = "UID",
      description = "The request uid (default: a random UUID).")
  String uid;

  @Mixin OutputOption output;

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public AdmissionRequestScaffold() {}

  @Override
  public Integer call() {
    checkUsage();
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(this::scaffold);
  }

  private int scaffold() {
    Path main = file != null ? file : object;
    AdmissionReview.Builder b =
        AdmissionReview.builder(operation).userInfo(userInfo()).dryRun(false);
    if (uid != null) {
      b.uid(uid);
    }
    if (operation == Operation.DELETE) {
      b.oldObject(read(main));
    } else {
      b.object(read(main));
      if (oldObject != null) {
        b.oldObject(read(oldObject));
      }
    }
    AdmissionReview review;
    try {
      review = b.build();
    } catch (IllegalStateException e) {
      throw new CliException(
          "cannot make a " + operation + " request from " + main + ": " + e.getMessage(), e);
    }
    output.print(spec.commandLine().getOut(), Json.toTree(review), () -> "");
    return 0;
  }

  private UserInfo userInfo() {
    if (user == null) {
      return UserInfo.of(
          "kubernetes-admin", null, List.of("system:masters", "system:authenticated"));
    }
    return UserInfo.of(
        user, null, groups == null || groups.isEmpty() ? List.of("system:authenticated") : groups);
  }

  private static JsonNode read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CliException("object file not found: " + path, e);
    } catch (IOException e) {
      throw new CliException("cannot read " + path + ": " + e.getMessage(), e);
    }
    JsonNode node;
    try {
      node = Json.readTree(bytes);
    } catch (IllegalArgumentException e) {
      throw new CliException("cannot parse " + path + ": " + e.getMessage(), e);
    }
    if (!node.isObject()
        || !node.path("kind").isTextual()
        || !node.path("apiVersion").isTextual()) {
      throw new CliException(
          path
              + " is not a Kubernetes object: it needs 'apiVersion' and 'kind' (a manifest such"
              + " as kubectl applies)");
    }
    return node;
  }

  private void checkUsage() {
    if (file != null && object != null) {
      throw new ParameterException(
          spec.commandLine(), "Give the object as FILE or --object, not both");
    }
    if (file == null && object == null) {
      throw new ParameterException(spec.commandLine(), "Missing the object: FILE or --object FILE");
    }
    if (operation == Operation.CONNECT) {
      throw new ParameterException(
          spec.commandLine(),
          "--operation CONNECT is not supported (use CREATE, UPDATE or DELETE)");
    }
    if (operation == Operation.UPDATE && oldObject == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--operation UPDATE needs --old-object FILE (the object before the update)");
    }
    if (operation != Operation.UPDATE && oldObject != null) {
      throw new ParameterException(
          spec.commandLine(), "--old-object is only for --operation UPDATE");
    }
    if (output.format() == OutputFormat.PRETTY) {
      throw new ParameterException(
          spec.commandLine(), "--output pretty is for answers: use json or yaml");
    }
    if (groups != null && user == null) {
      throw new ParameterException(spec.commandLine(), "--group needs --user");
    }
  }
}
