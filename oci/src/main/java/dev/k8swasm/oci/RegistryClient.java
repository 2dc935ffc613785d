package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k8swasm.source.ModuleSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A small client of the OCI distribution protocol on {@code java.net.http}: manifests and blobs
 * (pull), blob uploads and manifests (push), Basic and Bearer-token authentication from a Docker
 * {@code config.json}. Every body read is bounded; blobs are streamed to a file and their size and
 * digest checked. Redirects are followed by hand, without credentials to another origin.
 * Thread-safe.
 */
final class RegistryClient {
  /** The manifest media types asked for, most wanted first. */
  static final String ACCEPT =
      String.join(
          ", ",
          MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST);

  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final long MAX_TOKEN_BYTES = 1L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OciOptions options;
  private final Sources sources;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  RegistryClient(OciOptions options, Sources sources) {
    this.options = options;
    this.sources = sources;
  }

  /** A manifest or index as the registry sent it. */
  record Document(byte[] body, String mediaType, String digest) {}

  /**
   * Fetches the manifest (or index) {@code reference} (a tag or digest) of {@code ref}'s
   * repository; the digest is computed from the bytes received.
   */
  Document manifest(OciReference ref, String reference) {
    URI uri = uri(ref, "/manifests/" + reference);
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().header("Accept", ACCEPT);
    HttpResponse<InputStream> resp = send(ref, req, false);
    try (InputStream in = resp.body()) {
      int status = resp.statusCode();
      if (status == 404) {
        throw fail(
            ref,
            reference.startsWith("sha256:")
                ? "manifest " + reference + " not found in " + ref.repository() + " (404)"
                : "tag '" + reference + "' not found in " + ref.repository() + " (404)");
      }
      expect(ref, resp, 200, "GET manifest");
      long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > options.maxManifestBytes()) {
        throw fail(ref, tooLarge("manifest", declared, options.maxManifestBytes()));
      }
      byte[] body = readBounded(in, options.maxManifestBytes(), ref, "manifest");
      String mediaType =
          resp.headers().firstValue("Content-Type").map(RegistryClient::bareType).orElse("");
      return new Document(body, mediaType, Digests.sha256(body));
    } catch (IOException e) {
      throw io(ref, e, "reading the manifest");
    }
  }

  /** A small blob (config, signature payload) read into memory, checked against its digest. */
  byte[] blob(OciReference ref, String digest, long size, long max) {
    if (size > max) {
      throw fail(ref, tooLarge("blob " + digest, size, max));
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    download(ref, digest, size, out);
    return out.toByteArray();
  }

  /**
   * Streams the blob {@code digest} of declared {@code size} into {@code target}: fails when the
   * registry sends more or fewer bytes, or bytes of another digest.
   */
  void download(OciReference ref, String digest, long size, OutputStream target) {
    URI uri = uri(ref, "/blobs/" + digest);
    HttpResponse<InputStream> resp = send(ref, HttpRequest.newBuilder(uri).GET(), false);
    for (int hops = 0; isRedirect(resp.statusCode()) && hops < 5; hops++) {
      closeQuietly(resp.body());
      URI next =
          uri.resolve(
              resp.headers()
                  .firstValue("Location")
                  .orElseThrow(() -> fail(ref, "redirect without Location")));
      HttpRequest.Builder again = HttpRequest.newBuilder(next).GET();
      if (sameOrigin(uri, next)) {
        resp = send(ref, again, false);
      } else {
        resp = sendPlain(ref, again);
      }
      uri = next;
    }
    long received = 0;
    try (InputStream in = resp.body()) {
      if (resp.statusCode() == 404) {
        throw fail(ref, "blob " + digest + " not found (404)");
      }
      expect(ref, resp, 200, "GET blob");
      MessageDigest sha = Digests.newSha256();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        received += n;
        if (received > size) {
          throw fail(ref, "blob " + digest + " is larger than the " + size + " bytes declared");
        }
        sha.update(buf, 0, n);
        target.write(buf, 0, n);
      }
      if (received != size) {
        throw fail(
            ref,
            "download of blob "
                + digest
                + " interrupted after "
                + received
                + " of "
                + size
                + " bytes");
      }
      String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(digest)) {
        throw fail(ref, "digest mismatch: blob " + digest + " has content " + actual);
      }
    } catch (IOException e) {
      throw fail(
          ref,
          "download of blob "
              + digest
              + " interrupted after "
              + received
              + " of "
              + size
              + " bytes: "
              + describe(e),
          e);
    }
  }

  /** Uploads {@code file} as the blob {@code digest} unless the registry has it. */
  void pushBlob(OciReference ref, Path file, String digest) {
    HttpResponse<InputStream> head =
        send(
            ref,
            HttpRequest.newBuilder(uri(ref, "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            true);
    closeQuietly(head.body());
    if (head.statusCode() == 200) {
      return;
    }
    HttpResponse<InputStream> start =
        send(
            ref,
            HttpRequest.newBuilder(uri(ref, "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()),
            true);
    closeQuietly(start.body());
    expect(ref, start, 202, "POST blob upload");
    String location =
        start
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> fail(ref, "blob upload without Location"));
    URI put = uri(ref, "/blobs/uploads/").resolve(location);
    String sep = put.toString().contains("?") ? "&" : "?";
    URI target =
        URI.create(put + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    HttpRequest.Builder req;
    try {
      req =
          HttpRequest.newBuilder(target)
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofFile(file));
    } catch (IOException e) {
      throw fail(ref, "cannot read " + file + ": " + describe(e), e);
    }
    HttpResponse<InputStream> done = send(ref, req, true);
    closeQuietly(done.body());
    expect(ref, done, 201, "PUT blob");
  }

  /** Stores {@code manifest} under {@code tag}; the manifest's digest. */
  String pushManifest(OciReference ref, String tag, byte[] manifest, String mediaType) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri(ref, "/manifests/" + tag))
            .header("Content-Type", mediaType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest));
    HttpResponse<InputStream> resp = send(ref, req, true);
    String detail = errorDetail(resp);
    if (resp.statusCode() != 201) {
      throw fail(ref, "registry answered HTTP " + resp.statusCode() + " to PUT manifest" + detail);
    }
    return Digests.sha256(manifest);
  }

  private URI uri(OciReference ref, String tail) {
    String scheme = sources.insecure(ref.registry()) ? "http://" : "https://";
    return URI.create(scheme + apiHost(ref.registry()) + "/v2/" + ref.repository() + tail);
  }

  /** Where a registry's API is served: Docker Hub's is not at {@code docker.io}. */
  static String apiHost(String registry) {
    return registry.equals("docker.io") || registry.equals("index.docker.io")
        ? "registry-1.docker.io"
        : registry;
  }

  private HttpClient client(String registry) {
    return clients.computeIfAbsent(
        registry,
        r -> {
          HttpClient.Builder b =
              HttpClient.newBuilder()
                  .connectTimeout(options.timeout())
                  .followRedirects(HttpClient.Redirect.NEVER);
          if (!sources.insecure(r)) {
            b.sslContext(sources.sslContext(r));
          }
          return b.build();
        });
  }

  /** Sends with the cached authorization, answering one 401 challenge. */
  private HttpResponse<InputStream> send(OciReference ref, HttpRequest.Builder req, boolean push) {
    String scope = "repository:" + ref.repository() + (push ? ":pull,push" : ":pull");
    String key = ref.registry() + " " + scope;
    String auth = authorizations.get(key);
    HttpRequest.Builder first = req.copy().timeout(options.timeout());
    if (auth != null) {
      first.setHeader("Authorization", auth);
    }
    HttpResponse<InputStream> resp = exchange(ref, first.build());
    if (resp.statusCode() != 401) {
      return resp;
    }
    closeQuietly(resp.body());
    String challenge = resp.headers().firstValue("WWW-Authenticate").orElse("");
    auth = authorize(ref, challenge, scope);
    authorizations.put(key, auth);
    HttpResponse<InputStream> again =
        exchange(
            ref, req.copy().timeout(options.timeout()).setHeader("Authorization", auth).build());
    if (again.statusCode() == 401) {
      closeQuietly(again.body());
      throw fail(
          ref,
          "the registry refused the credentials for " + ref.registry() + " (401 Unauthorized)");
    }
    return again;
  }

  private HttpResponse<InputStream> sendPlain(OciReference ref, HttpRequest.Builder req) {
    return exchange(ref, req.timeout(options.timeout()).build());
  }

  private HttpResponse<InputStream> exchange(OciReference ref, HttpRequest request) {
    try {
      return client(ref.registry()).send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(ref, "interrupted while talking to " + ref.registry(), e);
    } catch (IOException e) {
      throw io(ref, e, request.method() + " " + request.uri().getPath());
    }
  }

  /** The Authorization header answering {@code challenge}. */
  private String authorize(OciReference ref, String challenge, String scope) {
    Optional<Credentials> credentials = credentials(ref);
    String lower = challenge.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("basic")) {
      return credentials.map(Credentials::basic).orElseThrow(() -> noCredentials(ref));
    }
    if (!lower.startsWith("bearer")) {
      throw fail(
          ref,
          "the registry asks for authentication this client does not speak ('"
              + firstWord(challenge)
              + "', 401)");
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null || realm.isBlank()) {
      throw fail(ref, "the registry's Bearer challenge has no realm (401)");
    }
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    if (params.containsKey("service")) {
      q.append("service=")
          .append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8))
          .append('&');
    }
    q.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    URI tokenUri;
    try {
      tokenUri = URI.create(q.toString());
    } catch (IllegalArgumentException e) {
      throw fail(ref, "the registry's Bearer realm is not a URL", e);
    }
    if (!"https".equalsIgnoreCase(tokenUri.getScheme())
        && !("http".equalsIgnoreCase(tokenUri.getScheme()) && sources.insecure(ref.registry()))) {
      throw fail(
          ref,
          "the registry's token service "
              + tokenUri.getScheme()
              + "://"
              + tokenUri.getHost()
              + " is not https; credentials are sent there only when the registry is listed in"
              + " insecure_sources");
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(tokenUri).GET().timeout(options.timeout());
    credentials.ifPresent(c -> req.header("Authorization", c.basic()));
    HttpResponse<InputStream> resp;
    try {
      resp = client(ref.registry()).send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(ref, "interrupted while asking " + tokenUri.getHost() + " for a token", e);
    } catch (IOException e) {
      throw fail(ref, "cannot get a token from " + tokenUri.getHost() + ": " + describe(e), e);
    }
    try (InputStream in = resp.body()) {
      if (resp.statusCode() == 401 || resp.statusCode() == 403) {
        throw credentials.isPresent()
            ? fail(
                ref,
                "the token service refused the credentials for "
                    + ref.registry()
                    + " ("
                    + resp.statusCode()
                    + ")")
            : noCredentials(ref);
      }
      if (resp.statusCode() != 200) {
        throw fail(ref, "the token service answered HTTP " + resp.statusCode());
      }
      JsonNode body = JSON.readTree(readBounded(in, MAX_TOKEN_BYTES, ref, "token response"));
      String token = body.path("token").asText(body.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw fail(ref, "the token service sent no token");
      }
      return "Bearer " + token;
    } catch (IOException e) {
      throw fail(ref, "cannot read the token service's answer: " + describe(e), e);
    }
  }

  private Optional<Credentials> credentials(OciReference ref) {
    Optional<Path> config = options.dockerConfig();
    if (config.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Credentials.lookup(config.get(), ref.registry());
    } catch (IllegalArgumentException e) {
      throw fail(ref, e.getMessage(), e);
    }
  }

  private ModuleSourceException noCredentials(OciReference ref) {
    return fail(
        ref,
        "the registry requires credentials for "
            + ref.registry()
            + " (401 Unauthorized); add them to the Docker config.json (--docker-config-json-path"
            + options.dockerConfig().map(p -> ", read: " + p).orElse(", none found")
            + ")");
  }

  private void expect(OciReference ref, HttpResponse<InputStream> resp, int status, String what) {
    int got = resp.statusCode();
    if (got == status) {
      return;
    }
    String detail = errorDetail(resp);
    if (got == 403) {
      throw fail(ref, "access denied to " + ref.repository() + " (403 Forbidden)" + detail);
    }
    throw fail(ref, "registry answered HTTP " + got + " to " + what + detail);
  }

  /** The first error message of a registry error body, as {@code ": message"}, or nothing. */
  private static String errorDetail(HttpResponse<InputStream> resp) {
    try (InputStream in = resp.body()) {
      if (resp.statusCode() < 400) {
        return "";
      }
      byte[] body = in.readNBytes(16 * 1024);
      JsonNode node = JSON.readTree(body);
      String msg = node == null ? "" : node.path("errors").path(0).path("message").asText("");
      return msg.isBlank() ? "" : ": " + oneLine(msg);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static byte[] readBounded(InputStream in, long max, OciReference ref, String what)
      throws IOException {
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (body.length > max) {
      throw fail(ref, what + " larger than the limit of " + max + " bytes");
    }
    return body;
  }

  static String tooLarge(String what, long size, long max) {
    return what + " of " + size + " bytes exceeds the limit of " + max + " bytes";
  }

  private ModuleSourceException io(OciReference ref, IOException e, String what) {
    if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
      return fail(
          ref,
          "cannot reach registry "
              + ref.registry()
              + ": connection refused (is it running, is the address right?)",
          e);
    }
    if (e instanceof HttpConnectTimeoutException) {
      return fail(
          ref,
          "cannot reach registry "
              + ref.registry()
              + ": no connection within "
              + options.timeout().toSeconds()
              + " s",
          e);
    }
    if (e instanceof HttpTimeoutException) {
      return fail(
          ref,
          "registry "
              + ref.registry()
              + " did not answer within "
              + options.timeout().toSeconds()
              + " s",
          e);
    }
    if (e instanceof SSLException || e.getCause() instanceof SSLException) {
      return fail(
          ref,
          "TLS with "
              + ref.registry()
              + " failed: "
              + describe(e)
              + " (add its CA to source_authorities in --sources-path, or list it in insecure_sources for plain HTTP)",
          e);
    }
    return fail(ref, what + " failed: " + describe(e), e);
  }

  static ModuleSourceException fail(OciReference ref, String detail) {
    return new ModuleSourceException(ref.toString(), detail);
  }

  static ModuleSourceException fail(OciReference ref, String detail, Throwable cause) {
    return new ModuleSourceException(ref.toString(), detail, cause);
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m =
          e.getCause() != null && e.getCause().getMessage() != null
              ? e.getCause().getMessage()
              : e.getClass().getSimpleName();
    }
    return oneLine(m);
  }

  private static String oneLine(String s) {
    String t = s.replace('\r', ' ').replace('\n', ' ');
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  private static String firstWord(String s) {
    int sp = s.indexOf(' ');
    return sp > 0 ? s.substring(0, sp) : s;
  }

  private static String bareType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** sha256 digests in OCI form. */
  static final class Digests {
    private Digests() {}

    static MessageDigest newSha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    static String sha256(byte[] bytes) {
      return "sha256:" + HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    static String sha256(Path file) throws IOException {
      MessageDigest sha = newSha256();
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
        }
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
  }
}
