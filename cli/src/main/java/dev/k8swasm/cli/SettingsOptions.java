package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The module's settings, inline ({@code --settings-json}) or from a file ({@code --settings-path}).
 */
public final class SettingsOptions {

  @Option(
      names = "--settings-json",
      paramLabel = "JSON",
      converter = Converters.JsonValue.class,
      description = "The module's settings as JSON.")
  JsonNode json;

  @Option(
      names = "--settings-path",
      paramLabel = "FILE",
      description = "A file holding the module's settings, JSON or YAML.")
  Path path;

  /** Used by picocli. */
  public SettingsOptions() {}

  /** The option that was given, for usage messages. */
  String given() {
    return json != null ? "--settings-json" : "--settings-path";
  }

  /**
   * The settings: the JSON given, or the file's content parsed.
   *
   * @throws CliException when the file is missing, cannot be read or cannot be parsed
   */
  JsonNode read() {
    if (json != null) {
      return json;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CliException("settings file not found: " + path, e);
    } catch (IOException e) {
      throw cannotRead(e);
    }
    try {
      return Json.readTree(bytes);
    } catch (IllegalArgumentException e) {
      throw new CliException("cannot parse settings " + path + ": " + e.getMessage(), e);
    }
  }

  private CliException cannotRead(IOException e) {
    return new CliException("cannot read settings " + path + ": " + e.getMessage(), e);
  }
}
