package dev.k8swasm.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code KUBEWARDEN_*} environment variables of Kubewarden's policy-server as defaults of
 * {@code serve}'s flags, so that the Deployment the Kubewarden controller writes for a PolicyServer
 * (it configures policy-server through these variables only) runs {@code k8s-wasm serve} unchanged.
 * A flag on the command line wins over its variable; a variable wins over the configuration file.
 * Switches take {@code true}/{@code false} (also {@code 1}/{@code 0}, {@code yes}/{@code no},
 * {@code on}/{@code off}, as policy-server); a malformed value is a usage error naming the
 * variable. {@code KUBEWARDEN_LOG_LEVEL} and {@code KUBEWARDEN_LOG_FMT} are read by the logging
 * setup of every command.
 */
final class PolicyServerEnvironment implements IDefaultValueProvider {
  /** Variable of each flag (by its longest name). */
  static final Map<String, String> VARIABLES =
      Map.ofEntries(
          Map.entry("--addr", "KUBEWARDEN_BIND_ADDRESS"),
          Map.entry("--port", "KUBEWARDEN_PORT"),
          Map.entry("--readiness-probe-port", "KUBEWARDEN_READINESS_PROBE_PORT"),
          Map.entry("--workers", "KUBEWARDEN_WORKERS"),
          Map.entry("--cert-file", "KUBEWARDEN_CERT_FILE"),
          Map.entry("--key-file", "KUBEWARDEN_KEY_FILE"),
          Map.entry("--client-ca-file", "KUBEWARDEN_CLIENT_CA_FILE"),
          Map.entry("--policies", "KUBEWARDEN_POLICIES"),
          Map.entry("--policies-download-dir", "KUBEWARDEN_POLICIES_DOWNLOAD_DIR"),
          Map.entry("--sigstore-cache-dir", "KUBEWARDEN_SIGSTORE_CACHE_DIR"),
          Map.entry("--sources-path", "KUBEWARDEN_SOURCES_PATH"),
          Map.entry("--verification-path", "KUBEWARDEN_VERIFICATION_CONFIG_PATH"),
          Map.entry("--docker-config-json-path", "KUBEWARDEN_DOCKER_CONFIG_JSON_PATH"),
          Map.entry("--enable-metrics", "KUBEWARDEN_ENABLE_METRICS"),
          Map.entry(
              "--always-accept-admission-reviews-on-namespace",
              "KUBEWARDEN_ALWAYS_ACCEPT_ADMISSION_REVIEWS_ON_NAMESPACE"),
          Map.entry("--disable-timeout-protection", "KUBEWARDEN_DISABLE_TIMEOUT_PROTECTION"),
          Map.entry("--policy-timeout", "KUBEWARDEN_POLICY_TIMEOUT"),
          Map.entry(
              "--ignore-kubernetes-connection-failure",
              "KUBEWARDEN_IGNORE_KUBERNETES_CONNECTION_FAILURE"),
          Map.entry("--continue-on-errors", "KUBEWARDEN_CONTINUE_ON_ERRORS"),
          Map.entry("--daemon", "KUBEWARDEN_DAEMON"),
          Map.entry("--enable-pprof", "KUBEWARDEN_ENABLE_PPROF"));

  private final Map<String, String> environment;

  /** The process environment; used by picocli. */
  PolicyServerEnvironment() {
    this(System.getenv());
  }

  /** {@code environment} instead of the process's. */
  PolicyServerEnvironment(Map<String, String> environment) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String variable = variable(option);
    if (variable == null) {
      return null;
    }
    String value = environment.get(variable);
    if (value == null) {
      return null;
    }
    Class<?> type = option.type();
    if (type == boolean.class || type == Boolean.class) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on", "y" -> "true";
        case "false", "0", "no", "off", "n", "" -> "false";
        default -> throw invalid(option, variable, value, "true or false");
      };
    }
    if (type == int.class || type == Integer.class) {
      try {
        Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw invalid(option, variable, value, "a whole number");
      }
      return value.trim();
    }
    return value;
  }

  /** The variable of {@code option}, or null when it has none. */
  static String variable(OptionSpec option) {
    for (String name : option.names()) {
      String variable = VARIABLES.get(name);
      if (variable != null) {
        return variable;
      }
    }
    return null;
  }

  private static String clip(String value) {
    String one = value.replaceAll("\\p{Cntrl}", "?");
    return one.length() > 100 ? one.substring(0, 100) + "..." : one;
  }

  private static CommandLine.ParameterException invalid(
      OptionSpec option, String variable, String value, String expected) {
    return new CommandLine.ParameterException(
        option.command().commandLine(),
        "Invalid value of "
            + variable
            + " (for "
            + option.longestName()
            + "): '"
            + clip(value)
            + "'; expected "
            + expected);
  }
}
