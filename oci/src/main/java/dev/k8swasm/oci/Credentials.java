package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials from a Docker {@code config.json}: {@code auths.HOST.auth} (base64 {@code
 * user:password}) or {@code auths.HOST.username}/{@code password}. Keys may be written as {@code
 * HOST}, {@code https://HOST} or {@code http://HOST/...}. Credential helpers ({@code credsStore},
 * {@code credHelpers}) are not run. The secret never appears in {@link #toString()} or messages.
 */
final class Credentials {
  private final String username;
  private final String password;

  private Credentials(String username, String password) {
    this.username = username;
    this.password = password;
  }

  /** The credentials for {@code registry} in {@code configFile}, if any. */
  static Optional<Credentials> lookup(Path configFile, String registry) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(configFile));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read Docker config " + configFile + ": " + e.getClass().getSimpleName(), e);
    }
    JsonNode auths = root == null ? null : root.get("auths");
    if (auths == null || !auths.isObject()) {
      return Optional.empty();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!host(e.getKey()).equals(registry)
          && !(dockerHub(registry) && dockerHub(host(e.getKey())))) {
        continue;
      }
      JsonNode entry = e.getValue();
      if (entry.path("auth").isTextual() && !entry.path("auth").asText().isEmpty()) {
        String decoded;
        try {
          decoded =
              new String(
                  Base64.getDecoder().decode(entry.path("auth").asText().trim()),
                  StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
          throw new IllegalArgumentException(
              "Docker config " + configFile + ": auths." + e.getKey() + ".auth is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException(
              "Docker config "
                  + configFile
                  + ": auths."
                  + e.getKey()
                  + ".auth is not base64 of user:password");
        }
        return Optional.of(
            new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
      }
      if (entry.path("username").isTextual() && entry.path("password").isTextual()) {
        return Optional.of(
            new Credentials(entry.path("username").asText(), entry.path("password").asText()));
      }
    }
    return Optional.empty();
  }

  /**
   * Docker Hub's names: {@code docker login} stores them as {@code https://index.docker.io/v1/}.
   */
  private static boolean dockerHub(String host) {
    return host.equals("docker.io")
        || host.equals("index.docker.io")
        || host.equals("registry-1.docker.io");
  }

  private static String host(String key) {
    String k = key;
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    return slash >= 0 ? k.substring(0, slash) : k;
  }

  /** The value of an {@code Authorization: Basic} header. */
  String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[" + username + ", ****]";
  }
}
