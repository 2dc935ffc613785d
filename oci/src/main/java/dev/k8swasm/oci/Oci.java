package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.source.ModuleSourceException;
import dev.k8swasm.source.SourceOptions.PullPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modules in OCI registries and at {@code https://} URLs: pull into the {@link LocalStore}, push,
 * and (with a verification config) check cosign signatures before anything is stored or used.
 * Thread-safe; one instance per {@link OciOptions}.
 *
 * <pre>{@code
 * Oci oci = Oci.of(OciOptions.builder().sources(Path.of("sources.yml")).build());
 * StoredModule m = oci.pull("registry://ghcr.io/kubewarden/policies/pod-privileged:v0.3.2");
 * }</pre>
 */
public final class Oci {
  private static final Logger LOG = LoggerFactory.getLogger(Oci.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OciOptions options;
  private final RegistryClient client;
  private final LocalStore store;
  private final Optional<SignatureVerifier> verifier;

  private Oci(OciOptions options) {
    this.options = options;
    this.client =
        new RegistryClient(options, options.sources().map(Sources::read).orElse(Sources.NONE));
    this.store = new LocalStore(options.storeDir());
    // a pull takes far less than a day; older temporary files are left by killed processes
    store.deleteStaleTemporaryFiles(java.time.Duration.ofDays(1));
    this.verifier =
        options
            .verificationConfig()
            .map(VerificationConfig::read)
            .map(c -> new SignatureVerifier(c, client, options));
  }

  /**
   * Registry access with {@code options}.
   *
   * @throws IllegalArgumentException when the sources or verification file is malformed
   */
  public static Oci of(OciOptions options) {
    return new Oci(Objects.requireNonNull(options, "options"));
  }

  /** The local store. */
  public LocalStore store() {
    return store;
  }

  /**
   * Pulls {@code reference} ({@code registry://...} or {@code https://...}) into the store, even
   * when a copy is stored already.
   *
   * @throws ModuleSourceException naming the reference and the cause
   */
  public StoredModule pull(String reference) {
    return resolve(reference, PullPolicy.ALWAYS);
  }

  /**
   * The stored module of {@code reference}, pulled first when {@code policy} says so or when there
   * is none. With a verification config, its signatures are checked every time.
   *
   * @throws ModuleSourceException naming the reference and the cause
   */
  public StoredModule resolve(String reference, PullPolicy policy) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(policy, "policy");
    if (reference.startsWith("https://")) {
      if (verifier.isPresent()) {
        throw new ModuleSourceException(
            reference,
            "signature verification is configured, and https:// downloads carry no signatures; use"
                + " a registry:// reference");
      }
      return resolveHttps(reference, policy);
    }
    OciReference ref = parse(reference);
    if (policy == PullPolicy.IF_NOT_PRESENT) {
      Optional<StoredModule> stored = store.find(ref.toString());
      if (stored.isPresent()) {
        verifier.ifPresent(v -> v.verify(ref, stored.get().manifestDigest().orElseThrow()));
        LOG.debug("{}: using the stored copy {}", ref, stored.get().digest());
        return stored.get();
      }
    }
    return pullRegistry(ref);
  }

  /**
   * Pushes the module {@code wasm} to {@code reference} ({@code registry://HOST/REPO:TAG}) as a
   * Wasm artifact: config {@value MediaTypes#WASM_CONFIG}, one layer {@value
   * MediaTypes#WASM_LAYER}, the manifest carrying {@code annotations} (kwctl puts the policy's
   * metadata annotations there).
   *
   * @return the manifest's digest
   * @throws ModuleSourceException naming the reference and the cause
   */
  public String push(Path wasm, String reference, Map<String, String> annotations) {
    Objects.requireNonNull(wasm, "wasm");
    Objects.requireNonNull(annotations, "annotations");
    OciReference ref = parse(reference);
    if (ref.digest().isPresent()) {
      throw new ModuleSourceException(reference, "push to a tag, not a digest");
    }
    try {
      byte[] head;
      try (InputStream in = Files.newInputStream(wasm)) {
        head = in.readNBytes(4);
      }
      if (!isWasm(head)) {
        throw new ModuleSourceException(reference, wasm + " is not a WebAssembly module");
      }
      long size = Files.size(wasm);
      String layerDigest = RegistryClient.Digests.sha256(wasm);
      ObjectNode config = JSON.createObjectNode();
      config.put("created", Instant.now().toString());
      config.put("architecture", "wasm");
      config.put("os", "wasip1");
      config.putArray("layerDigests").add(layerDigest);
      byte[] configBytes = JSON.writeValueAsBytes(config);
      String configDigest = RegistryClient.Digests.sha256(configBytes);
      Path configFile = Files.createTempFile("k8s-wasm-config-", ".json");
      try {
        Files.write(configFile, configBytes);
        client.pushBlob(ref, configFile, configDigest);
      } finally {
        Files.deleteIfExists(configFile);
      }
      client.pushBlob(ref, wasm, layerDigest);
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
      ObjectNode c = manifest.putObject("config");
      c.put("mediaType", MediaTypes.WASM_CONFIG);
      c.put("digest", configDigest);
      c.put("size", configBytes.length);
      ArrayNode layers = manifest.putArray("layers");
      ObjectNode layer = layers.addObject();
      layer.put("mediaType", MediaTypes.WASM_LAYER);
      layer.put("digest", layerDigest);
      layer.put("size", size);
      layer
          .putObject("annotations")
          .put("org.opencontainers.image.title", String.valueOf(wasm.getFileName()));
      if (!annotations.isEmpty()) {
        ObjectNode ann = manifest.putObject("annotations");
        annotations.forEach(ann::put);
      }
      String digest =
          client.pushManifest(
              ref,
              ref.tag().orElseThrow(),
              JSON.writeValueAsBytes(manifest),
              MediaTypes.OCI_MANIFEST);
      LOG.info("{}: pushed {} ({} bytes) as manifest {}", ref, wasm, size, digest);
      return digest;
    } catch (IOException e) {
      throw new ModuleSourceException(
          reference, "cannot read " + wasm + ": " + RegistryClient.describe(e), e);
    }
  }

  private StoredModule pullRegistry(OciReference ref) {
    RegistryClient.Document doc = client.manifest(ref, ref.manifestReference());
    if (ref.digest().isPresent() && !doc.digest().equals(ref.digest().get())) {
      throw RegistryClient.fail(
          ref,
          "digest mismatch: pinned "
              + ref.digest().get()
              + ", the registry sent manifest "
              + doc.digest());
    }
    String manifestDigest = doc.digest();
    JsonNode manifest = parseDocument(ref, doc.body(), "manifest");
    String mediaType = manifest.path("mediaType").asText(doc.mediaType());
    if (mediaType.equals(MediaTypes.OCI_INDEX)
        || mediaType.equals(MediaTypes.DOCKER_MANIFEST_LIST)
        || manifest.has("manifests")) {
      JsonNode chosen = choose(ref, manifest.path("manifests"));
      String inner = chosen.path("digest").asText();
      RegistryClient.Document innerDoc = client.manifest(ref, inner);
      if (!innerDoc.digest().equals(inner)) {
        throw RegistryClient.fail(
            ref,
            "digest mismatch: the index names manifest "
                + inner
                + ", the registry sent "
                + innerDoc.digest());
      }
      manifest = parseDocument(ref, innerDoc.body(), "manifest");
    }
    ref.tag()
        .filter(t -> ref.digest().isEmpty())
        .ifPresent(t -> LOG.info("{}: tag '{}' resolved to {}", ref, t, manifestDigest));
    verifier.ifPresent(v -> v.verify(ref, manifestDigest));
    JsonNode layer = wasmLayer(ref, manifest.path("layers"));
    String digest = layer.path("digest").asText();
    long size = layer.path("size").asLong(-1);
    if (!digest.matches("sha256:[a-f0-9]{64}")) {
      throw RegistryClient.fail(ref, "the Wasm layer has a malformed digest '" + digest + "'");
    }
    if (size <= 0) {
      throw RegistryClient.fail(ref, "the Wasm layer declares no valid size");
    }
    if (size > options.maxModuleBytes()) {
      throw RegistryClient.fail(
          ref, RegistryClient.tooLarge("the Wasm layer", size, options.maxModuleBytes()));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    manifest
        .path("annotations")
        .fields()
        .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    Path temp = null;
    try {
      temp = store.newTemp();
      try (OutputStream out = Files.newOutputStream(temp)) {
        client.download(ref, digest, size, out);
      }
      checkWasm(ref, temp);
      StoredModule m =
          store.commit(
              ref.toString(), Optional.of(manifestDigest), digest, size, temp, annotations);
      LOG.info("{}: stored {} ({} bytes)", ref, digest, size);
      return m;
    } catch (IOException e) {
      throw RegistryClient.fail(
          ref, "cannot write to the store " + store.dir() + ": " + RegistryClient.describe(e), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private StoredModule resolveHttps(String url, PullPolicy policy) {
    if (policy == PullPolicy.IF_NOT_PRESENT) {
      Optional<StoredModule> stored = store.find(url);
      if (stored.isPresent()) {
        return stored.get();
      }
    }
    URI uri;
    try {
      uri = URI.create(url);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
    } catch (IllegalArgumentException e) {
      throw new ModuleSourceException(url, "malformed URL: " + e.getMessage(), e);
    }
    Path temp = null;
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .connectTimeout(options.timeout())
              .followRedirects(HttpClient.Redirect.NORMAL)
              .sslContext(
                  options
                      .sources()
                      .map(Sources::read)
                      .orElse(Sources.NONE)
                      .sslContext(authority(uri)))
              .build();
      HttpResponse<InputStream> resp =
          http.send(
              HttpRequest.newBuilder(uri).GET().timeout(options.timeout()).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      temp = store.newTemp();
      long received = 0;
      MessageDigest sha = RegistryClient.Digests.newSha256();
      try (InputStream in = resp.body();
          OutputStream out = Files.newOutputStream(temp)) {
        if (resp.statusCode() != 200) {
          throw new ModuleSourceException(url, "the server answered HTTP " + resp.statusCode());
        }
        long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > options.maxModuleBytes()) {
          throw new ModuleSourceException(
              url, RegistryClient.tooLarge("the module", declared, options.maxModuleBytes()));
        }
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          received += n;
          if (received > options.maxModuleBytes()) {
            throw new ModuleSourceException(
                url, "the module exceeds the limit of " + options.maxModuleBytes() + " bytes");
          }
          sha.update(buf, 0, n);
          out.write(buf, 0, n);
        }
        if (declared >= 0 && received != declared) {
          throw new ModuleSourceException(
              url, "download interrupted after " + received + " of " + declared + " bytes");
        }
      } catch (IOException e) {
        throw new ModuleSourceException(
            url,
            "download interrupted after " + received + " bytes: " + RegistryClient.describe(e),
            e);
      }
      byte[] head;
      try (InputStream in = Files.newInputStream(temp)) {
        head = in.readNBytes(4);
      }
      if (!isWasm(head)) {
        throw new ModuleSourceException(url, "the download is not a WebAssembly module");
      }
      String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
      StoredModule m = store.commit(url, Optional.empty(), digest, received, temp, Map.of());
      LOG.info("{}: stored {} ({} bytes)", url, digest, received);
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleSourceException(url, "interrupted", e);
    } catch (IOException e) {
      throw new ModuleSourceException(url, "cannot download: " + RegistryClient.describe(e), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private static String authority(URI uri) {
    return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
  }

  private JsonNode choose(OciReference ref, JsonNode manifests) {
    if (!manifests.isArray() || manifests.isEmpty()) {
      throw RegistryClient.fail(ref, "the index lists no manifests");
    }
    JsonNode first = null;
    for (JsonNode m : manifests) {
      String os = m.path("platform").path("os").asText("");
      if (first == null) {
        first = m;
      }
      if (os.startsWith("wasi")
          || m.path("platform").path("architecture").asText("").equals("wasm")) {
        return m;
      }
    }
    return first;
  }

  private JsonNode wasmLayer(OciReference ref, JsonNode layers) {
    List<String> seen = new ArrayList<>();
    JsonNode found = null;
    for (JsonNode l : layers) {
      String type = l.path("mediaType").asText("");
      seen.add(type);
      if (type.equals(MediaTypes.WASM_LAYER)) {
        if (found != null) {
          throw RegistryClient.fail(ref, "the manifest has more than one Wasm layer");
        }
        found = l;
      }
    }
    if (found == null) {
      throw RegistryClient.fail(
          ref,
          "not a Wasm artifact: no layer of media type "
              + MediaTypes.WASM_LAYER
              + " (layers: "
              + seen
              + ")");
    }
    return found;
  }

  private JsonNode parseDocument(OciReference ref, byte[] body, String what) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw RegistryClient.fail(
          ref, "the " + what + " is not valid JSON: " + RegistryClient.describe(e), e);
    }
  }

  private static void checkWasm(OciReference ref, Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    }
    if (!isWasm(head)) {
      throw RegistryClient.fail(
          ref, "the Wasm layer is not a WebAssembly module (no \\0asm header)");
    }
  }

  static boolean isWasm(byte[] head) {
    return head.length == 4 && head[0] == 0 && head[1] == 'a' && head[2] == 's' && head[3] == 'm';
  }

  private static OciReference parse(String reference) {
    try {
      return OciReference.parse(reference);
    } catch (IllegalArgumentException e) {
      throw new ModuleSourceException(reference, "malformed reference: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a leftover in tmp/ is never read
      }
    }
  }
}
