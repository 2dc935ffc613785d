package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityAllowList;
import dev.k8swasm.kubewarden.capabilities.SessionReplay;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.session.SessionRecorder;
import dev.k8swasm.module.ModuleSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code run} options for Kubewarden policies, named as {@code kwctl run} names them. They
 * apply to a single Kubewarden MODULE.
 */
public final class KubewardenRunOptions {

  @Option(
      names = "--execution-mode",
      paramLabel = "MODE",
      converter = ModeConverter.class,
      description =
          "Kubewarden: how the policy runs, kubewarden-wapc, wasi, opa or gatekeeper (default:"
              + " from its metadata, else detected from its exports).")
  ExecutionMode executionMode;

  @Option(
      names = {"--allowed-host-capabilities", "--allow-host-capability"},
      paramLabel = "PATTERN",
      split = ",",
      converter = PatternConverter.class,
      description =
          "Kubewarden: the host capabilities the policy may call, as kwctl's"
              + " --allowed-host-capabilities: 'namespace/operation' (e.g."
              + " net/v1/dns_lookup_host), a prefix (oci/*, oci/v2/*) or * for all. Repeatable or"
              + " comma-separated; the list given replaces the default, which is * (all, as kwctl;"
              + " kubernetes/* calls still need --allow-context-aware).")
  List<String> allowedHostCapabilities = new ArrayList<>();

  @Option(
      names = "--allow-context-aware",
      description =
          "Kubewarden: let the policy read the Kubernetes resources listed in its metadata"
              + " (contextAwareResources), answered from the cluster of --kubeconfig, KUBECONFIG"
              + " or ~/.kube/config (with a replayed session: from the session), as kwctl does;"
              + " without it every kubernetes/list_* and get_resource call is refused.")
  boolean allowContextAware;

  @Option(
      names = "--replay-host-capabilities-interactions",
      paramLabel = "FILE",
      description =
          "Kubewarden: answer the policy's host capability calls from a session recorded by"
              + " --record-host-capabilities-interactions (kwctl's format), in order.")
  Path replay;

  @Option(
      names = "--record-host-capabilities-interactions",
      paramLabel = "FILE",
      description =
          "Kubewarden: record every host capability exchange to FILE (kwctl's session format).")
  Path record;

  @Mixin ClusterOptions cluster;

  /** Used by picocli. */
  public KubewardenRunOptions() {}

  /** The flags given on the command line, for usage messages. */
  List<String> given() {
    List<String> given = new ArrayList<>();
    if (executionMode != null) {
      given.add("--execution-mode");
    }
    if (!allowedHostCapabilities.isEmpty()) {
      given.add("--allowed-host-capabilities");
    }
    if (allowContextAware) {
      given.add("--allow-context-aware");
    }
    if (replay != null) {
      given.add("--replay-host-capabilities-interactions");
    }
    if (record != null) {
      given.add("--record-host-capabilities-interactions");
    }
    given.addAll(cluster.given());
    return given;
  }

  /**
   * Sets the Kubewarden options of {@code spec} as {@code kwctl run} does: execution mode; the
   * allow-list of host capabilities ({@code *} unless {@code --allowed-host-capabilities} gives
   * one; the policy metadata's {@code hostCapabilities} is not a grant, as in kwctl); the
   * Kubernetes resources of the metadata's {@code contextAwareResources} only with {@code
   * --allow-context-aware}, else none; and the host capabilities (DNS through the JDK, recording
   * and replay).
   *
   * @throws CliException when the session to replay cannot be read
   */
  ModuleSpec.Builder apply(ModuleSpec.Builder spec) {
    if (executionMode != null) {
      spec.option("executionMode", TextNode.valueOf(executionMode.wireName()));
    }
    ArrayNode patterns = JsonNodeFactory.instance.arrayNode();
    if (allowedHostCapabilities.isEmpty()) {
      patterns.add("*");
    } else {
      allowedHostCapabilities.forEach(patterns::add);
    }
    spec.option("allowedHostCapabilities", patterns);
    if (!allowContextAware) {
      spec.option("contextAwareResources", JsonNodeFactory.instance.arrayNode());
    }
    HostCapabilities.Builder host = HostCapabilities.builder();
    if (replay != null) {
      try {
        host.replay(SessionReplay.fromFile(replay));
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
    if (allowContextAware && replay == null) {
      // the cluster of the kubeconfig, as kwctl reads it; connected on the policy's first call
      ClusterOptions.LazyCluster k8s = cluster.lazy().prefetch();
      host.kubernetes(k8s.kubernetes()).authorizer(k8s.authorizer());
    }
    if (record != null) {
      try {
        host.record(SessionRecorder.toFile(record));
      } catch (java.io.UncheckedIOException e) {
        throw new CliException(
            "cannot write the session file " + record + ": " + e.getCause().getMessage(), e);
      }
    }
    return spec.extension(HostCapabilities.class, host.build());
  }

  /** {@code kubewarden-wapc}, {@code wasi}, {@code opa} or {@code gatekeeper}. */
  static final class ModeConverter implements ITypeConverter<ExecutionMode> {
    @Override
    public ExecutionMode convert(String value) {
      ExecutionMode mode;
      try {
        mode = ExecutionMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return mode;
    }
  }

  /** A host capability pattern. */
  static final class PatternConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        HostCapabilityAllowList.of(List.of(value));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return value;
    }
  }
}
