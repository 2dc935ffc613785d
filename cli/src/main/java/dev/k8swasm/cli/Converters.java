package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.config.Quantities;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.rego.RegoModuleRuntime;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for option values. A value that does not convert is a usage error (exit 2);
 * picocli names the option, the message shows the accepted forms.
 */
final class Converters {
  private Converters() {}

  /** A positive Go-style duration: {@code 2s}, {@code 500ms}, {@code 1m30s}. */
  static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        // a bare number is seconds, as policy-server's --policy-timeout 2
        d =
            value.matches("[0-9]{1,9}")
                ? Duration.ofSeconds(Long.parseLong(value))
                : Quantities.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (d.isZero() || d.isNegative()) {
        throw new TypeConversionException(
            "invalid duration '" + value + "': must be more than zero (e.g. 2s, 500ms, 1m)");
      }
      return d;
    }
  }

  /** A positive byte quantity: {@code 64Mi}, {@code 512Ki}, {@code 1G}, {@code 1048576}. */
  static final class PositiveSize implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long bytes;
      try {
        bytes = Quantities.parseBytes(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (bytes <= 0) {
        throw new TypeConversionException(
            "invalid size '" + value + "': must be more than zero (e.g. 64Mi, 512Ki, 1Gi)");
      }
      return bytes;
    }
  }

  /** {@code compiler} or {@code interpreter}. */
  static final class EngineName implements ITypeConverter<Engine> {
    @Override
    public Engine convert(String value) {
      try {
        return ConfigLoader.parseEngine(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Completion candidates and help text for {@code --engine}. */
  static final class EngineNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("compiler", "interpreter").iterator();
    }
  }

  /** A module type: {@code wasi}, {@code kubewarden} or {@code rego}. */
  static final class ModuleType implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.equals(dev.k8swasm.module.ModuleType.WASI.name())
          || value.equals(dev.k8swasm.module.ModuleType.KUBEWARDEN.name())
          || value.equals(RegoModuleRuntime.TYPE.name())) {
        return value;
      }
      throw new TypeConversionException(
          "unknown module type '" + value + "' (use wasi, kubewarden or rego)");
    }
  }

  /** Completion candidates and help text for {@code --type}. */
  static final class ModuleTypes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(
              dev.k8swasm.module.ModuleType.WASI.name(),
              dev.k8swasm.module.ModuleType.KUBEWARDEN.name(),
              RegoModuleRuntime.TYPE.name())
          .iterator();
    }
  }

  /** A JSON value given on the command line (YAML flow syntax is accepted too). */
  static final class JsonValue implements ITypeConverter<JsonNode> {
    @Override
    public JsonNode convert(String value) {
      try {
        return Json.readTree(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(Errors.oneLine(e.getMessage()));
      }
    }
  }

  /** {@code json}, {@code yaml} or {@code pretty}, in any case. */
  static final class OutputFormatConverter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      for (OutputFormat f : OutputFormat.values()) {
        if (f.toString().equalsIgnoreCase(value.trim())) {
          return f;
        }
      }
      throw new TypeConversionException(
          "unknown output format '" + value + "' (use json, compact, yaml or pretty)");
    }
  }
}
