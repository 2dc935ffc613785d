package dev.k8swasm.oci;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed {@code registry://HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST]} reference. Without a tag
 * or digest the tag is {@code latest}. Immutable value type.
 */
public final class OciReference {
  /** The URI scheme of registry references. */
  public static final String SCHEME = "registry";

  private static final Pattern HOST =
      Pattern.compile(
          "^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?$");
  private static final Pattern REPOSITORY =
      Pattern.compile("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$");
  private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
  private static final Pattern DIGEST = Pattern.compile("^sha256:[a-f0-9]{64}$");

  private final String registry;
  private final String repository;
  private final String tag;
  private final String digest;

  private OciReference(String registry, String repository, String tag, String digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses a {@code registry://} reference.
   *
   * @throws IllegalArgumentException saying which part is malformed
   */
  public static OciReference parse(String text) {
    Objects.requireNonNull(text, "text");
    String prefix = SCHEME + "://";
    if (!text.startsWith(prefix)) {
      throw new IllegalArgumentException("not a " + prefix + " reference");
    }
    String rest = text.substring(prefix.length());
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException(
            "malformed digest '" + digest + "' (expected sha256: and 64 lower-case hex digits)");
      }
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException(
          "expected " + prefix + "HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST]");
    }
    String registry = rest.substring(0, slash);
    if (!HOST.matcher(registry).matches()) {
      throw new IllegalArgumentException("malformed registry host '" + registry + "'");
    }
    String path = rest.substring(slash + 1);
    String tag = null;
    int colon = path.lastIndexOf(':');
    if (colon > path.lastIndexOf('/')) {
      tag = path.substring(colon + 1);
      path = path.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException(
            "malformed tag '" + tag + "' (letters, digits, '_', '.', '-'; at most 128)");
      }
    }
    if (!REPOSITORY.matcher(path).matches()) {
      throw new IllegalArgumentException(
          "malformed repository '"
              + path
              + "' (lower-case letters, digits and separators, components split by '/')");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    if ((registry.equals("docker.io") || registry.equals("index.docker.io"))
        && !path.contains("/")) {
      path = "library/" + path;
    }
    return new OciReference(registry, path, tag, digest);
  }

  /** {@code HOST[:PORT]}. */
  public String registry() {
    return registry;
  }

  /** The repository, e.g. {@code kubewarden/policies/pod-privileged}. */
  public String repository() {
    return repository;
  }

  /** The tag, absent when only a digest is given. */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** The pinned manifest digest ({@code sha256:...}), if given. */
  public Optional<String> digest() {
    return Optional.ofNullable(digest);
  }

  /** What to ask the registry for: the digest when pinned, else the tag. */
  public String manifestReference() {
    return digest != null ? digest : tag;
  }

  /** The same repository at another tag (without a digest). */
  public OciReference withTag(String newTag) {
    if (!TAG.matcher(newTag).matches()) {
      throw new IllegalArgumentException("malformed tag '" + newTag + "'");
    }
    return new OciReference(registry, repository, newTag, null);
  }

  /** The same repository pinned to {@code newDigest}, keeping the tag. */
  public OciReference withDigest(String newDigest) {
    if (!DIGEST.matcher(newDigest).matches()) {
      throw new IllegalArgumentException("malformed digest '" + newDigest + "'");
    }
    return new OciReference(registry, repository, tag, newDigest);
  }

  /** {@code HOST[:PORT]/REPOSITORY}, as cosign's signature payload names the image. */
  public String repositoryName() {
    return registry + "/" + repository;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OciReference r && r.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** The reference in {@code registry://} form. */
  @Override
  public String toString() {
    return SCHEME
        + "://"
        + registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }
}
