package dev.k8swasm.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a module comes from, as written: a local path, {@code file:///...}, or a URI whose scheme a
 * {@link ModuleSourceResolver} handles, such as {@code registry://ghcr.io/org/policy:v1} or {@code
 * https://example.com/policy.wasm}. The text is kept exactly as given (no {@code //} is collapsed).
 * Immutable value type.
 */
public final class ModuleReference {
  /** The scheme of local files, with or without a {@code file://} prefix. */
  public static final String FILE = "file";

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

  private final String text;
  private final String scheme;
  private final Path localPath;

  private ModuleReference(String text, String scheme, Path localPath) {
    this.text = text;
    this.scheme = scheme;
    this.localPath = localPath;
  }

  /**
   * Parses a reference: {@code SCHEME://...} or a local path.
   *
   * @throws IllegalArgumentException when it is blank, or a {@code file://} URI or path is
   *     malformed
   */
  public static ModuleReference parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty module reference");
    }
    var m = SCHEME.matcher(text);
    if (!m.find()) {
      try {
        return new ModuleReference(text, FILE, Path.of(text));
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            "module reference '" + text + "': not a valid path: " + e.getMessage(), e);
      }
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    if (!scheme.equals(FILE)) {
      if (text.length() == m.end()) {
        throw new IllegalArgumentException(
            "module reference '" + text + "': nothing after '" + scheme + "://'");
      }
      return new ModuleReference(text, scheme, null);
    }
    try {
      URI uri = new URI(text);
      if (uri.getAuthority() != null && !uri.getAuthority().equals("localhost")) {
        throw new IllegalArgumentException(
            "module reference '"
                + text
                + "': a file URI names a local file: file:///absolute/path (found host '"
                + uri.getAuthority()
                + "')");
      }
      return new ModuleReference(text, FILE, Path.of(uri.getPath()));
    } catch (URISyntaxException | InvalidPathException e) {
      throw new IllegalArgumentException(
          "module reference '" + text + "': malformed file URI: " + e.getMessage(), e);
    }
  }

  /** A reference to a local file. */
  public static ModuleReference of(Path file) {
    Objects.requireNonNull(file, "file");
    return new ModuleReference(file.toString(), FILE, file);
  }

  /** The reference as written. */
  public String text() {
    return text;
  }

  /** The scheme in lower case; {@link #FILE} for local paths. */
  public String scheme() {
    return scheme;
  }

  /** Whether the module is a local file (no resolver needed). */
  public boolean isLocal() {
    return localPath != null;
  }

  /** The local file, for {@link #FILE} references. */
  public Optional<Path> localPath() {
    return Optional.ofNullable(localPath);
  }

  /** This reference with a relative local path resolved against {@code baseDir}. */
  public ModuleReference resolveAgainst(Path baseDir) {
    if (localPath == null || localPath.isAbsolute() || baseDir == null) {
      return this;
    }
    return of(baseDir.resolve(localPath).normalize());
  }

  /**
   * A name for the module when none is configured: the last path segment without {@code .wasm}, a
   * tag or a digest ({@code registry://host/org/pod-privileged:v1} gives {@code pod-privileged}).
   */
  public String defaultName() {
    String s = localPath != null ? lastSegment(localPath) : text.substring(scheme.length() + 3);
    if (localPath == null) {
      int q = s.indexOf('?');
      s = q >= 0 ? s.substring(0, q) : s;
      int at = s.indexOf('@');
      s = at >= 0 ? s.substring(0, at) : s;
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      s = s.substring(s.lastIndexOf('/') + 1);
      int colon = s.lastIndexOf(':');
      s =
          colon > 0 && !scheme.equals("https") && !scheme.equals("http")
              ? s.substring(0, colon)
              : s;
    }
    s = s.endsWith(".wasm") ? s.substring(0, s.length() - 5) : s;
    return s.isBlank() ? "module" : s;
  }

  private static String lastSegment(Path p) {
    Path name = p.getFileName();
    return name == null ? p.toString() : name.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModuleReference r && r.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The reference as written. */
  @Override
  public String toString() {
    return text;
  }
}
