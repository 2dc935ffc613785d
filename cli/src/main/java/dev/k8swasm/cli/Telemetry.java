package dev.k8swasm.cli;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry for {@code serve}: traces and policy-server's {@code kubewarden_*} metrics exported
 * over OTLP, configured by the standard {@code OTEL_*} environment variables (or {@code otel.*}
 * system properties) through the SDK's autoconfiguration. Off unless one of {@link #SWITCHES} is
 * set; the SDK is then not even loaded. Defaults that differ from the SDK's: service name {@code
 * k8s-wasm}, no log export.
 */
final class Telemetry implements AutoCloseable {
  /** Any of these turns export on (an exporter variable set to {@code none} does not). */
  static final List<String> SWITCHES =
      List.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT",
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
          "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
          "OTEL_TRACES_EXPORTER",
          "OTEL_METRICS_EXPORTER");

  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /**
   * Whether {@code serve} exports: the {@code OTEL_*} environment asks for it ({@link
   * #configured}), or policy-server's switches do ({@code --log-fmt otlp} or {@code
   * --enable-metrics}: {@code policyServerSwitch}).
   */
  static boolean wanted(Map<String, String> env, boolean policyServerSwitch) {
    return configured(env) || policyServerSwitch;
  }

  /** Whether {@code env} (or the matching {@code otel.*} system properties) asks for export. */
  static boolean configured(Map<String, String> env) {
    for (String name : SWITCHES) {
      String value = env.get(name);
      if (value == null) {
        value = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
      }
      if (value != null && !value.isBlank() && !value.trim().equalsIgnoreCase("none")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Starts the SDK as the environment configures it; with {@code grpcByDefault} (export asked for
   * by policy-server's switches, {@code --log-fmt otlp} or {@code --enable-metrics}) the OTLP
   * protocol is gRPC unless an {@code OTEL_EXPORTER_OTLP_*PROTOCOL} variable says otherwise, as
   * policy-server speaks only gRPC (to {@code localhost:4317} unless an endpoint is set;
   * Kubewarden's controller points its OpenTelemetry sidecar or collector there).
   *
   * @throws CliException when the configuration is invalid
   */
  static Telemetry start(Map<String, String> env, boolean grpcByDefault) {
    Map<String, String> defaults = new HashMap<>();
    if (grpcByDefault) {
      // lower priority than the OTEL_* variables and otel.* system properties
      defaults.put("otel.exporter.otlp.protocol", "grpc");
    }
    if (!env.getOrDefault("OTEL_RESOURCE_ATTRIBUTES", "").contains("service.name=")) {
      defaults.put("otel.service.name", "k8s-wasm");
    }
    defaults.put("otel.logs.exporter", "none");
    try {
      return new Telemetry(
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> defaults)
              .build()
              .getOpenTelemetrySdk());
    } catch (RuntimeException e) {
      throw new CliException(
          "OpenTelemetry: invalid configuration in the OTEL_* environment variables: "
              + e.getMessage(),
          e);
    }
  }

  /** What the server records spans and metrics with. */
  OpenTelemetry api() {
    return sdk;
  }

  /** Exports what is pending and stops. */
  @Override
  public void close() {
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }
}
