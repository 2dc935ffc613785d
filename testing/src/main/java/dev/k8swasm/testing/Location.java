package dev.k8swasm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a test file (a module, settings, a fixture, a configuration) is: a file relative to the
 * project directory, an absolute file, or a class path resource.
 *
 * <p>A relative location is looked up, in order: relative to the project directory (the {@code
 * basedir} system property that Maven Surefire sets, else the working directory, which is the
 * project directory under Maven, Gradle and IDEs), then as a class path resource (e.g. {@code
 * src/test/resources/policies/x.wasm} is found as {@code policies/x.wasm}).
 */
final class Location {
  private final String given;
  private final Path file;
  private final URL resource;

  private Location(String given, Path file, URL resource) {
    this.given = given;
    this.file = file;
    this.resource = resource;
  }

  /**
   * Finds {@code location}.
   *
   * @throws IllegalArgumentException saying where it looked when nothing is found
   */
  static Location of(String location) {
    Objects.requireNonNull(location, "location");
    if (location.isBlank()) {
      throw new IllegalArgumentException(
          "empty location: give a file path or a class path resource");
    }
    List<String> tried = new ArrayList<>();
    Path asPath = Path.of(location);
    if (asPath.isAbsolute()) {
      if (Files.isRegularFile(asPath)) {
        return new Location(location, asPath, null);
      }
      tried.add(asPath.toString());
    }
    for (Path base : asPath.isAbsolute() ? List.<Path>of() : bases()) {
      Path candidate = base.resolve(asPath).normalize();
      if (Files.isRegularFile(candidate)) {
        return new Location(location, candidate, null);
      }
      tried.add(candidate.toAbsolutePath().toString());
    }
    String name = location.startsWith("/") ? location.substring(1) : location;
    URL url = resource(name);
    if (url != null) {
      if ("file".equals(url.getProtocol())) {
        try {
          return new Location(location, Path.of(url.toURI()), null);
        } catch (URISyntaxException | IllegalArgumentException e) {
          // fall through to reading it as a resource
        }
      }
      return new Location(location, null, url);
    }
    tried.add("class path resource '" + name + "'");
    throw new IllegalArgumentException(
        "'" + location + "' not found; looked for " + String.join(", ", tried));
  }

  private static List<Path> bases() {
    List<Path> bases = new ArrayList<>();
    String basedir = System.getProperty("basedir");
    if (basedir != null && !basedir.isBlank()) {
      bases.add(Path.of(basedir));
    }
    Path cwd = Path.of("").toAbsolutePath();
    if (!bases.contains(cwd)) {
      bases.add(cwd);
    }
    return bases;
  }

  private static URL resource(String name) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    URL url = context == null ? null : context.getResource(name);
    return url != null ? url : Location.class.getClassLoader().getResource(name);
  }

  /** The location as given. */
  String given() {
    return given;
  }

  /** The file, when it is one (a resource inside a jar is not). */
  Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The file, or a failure saying that a file is needed. */
  Path requireFile(String why) {
    if (file == null) {
      throw new IllegalArgumentException(
          "'" + given + "' is a class path resource inside an archive (" + resource + "); " + why);
    }
    return file;
  }

  /** The file name without its folder. */
  String fileName() {
    String path = file != null ? file.getFileName().toString() : resource.getPath();
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** The content. */
  byte[] read() {
    try {
      if (file != null) {
        return Files.readAllBytes(file);
      }
      try (InputStream in = resource.openStream()) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + given + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return file != null ? file.toString() : resource.toString();
  }
}
