package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bearer-token flow against a real registry configured for token authentication: the registry
 * answers 401 with a Bearer challenge, the client asks the token service (a small loopback server
 * issuing ES256 JWTs the registry verifies) with the Docker config's credentials, then retries.
 */
class BearerTokenRegistryTest {
  static final String SERVICE = "k8s-wasm-test-registry";
  static final String USER = "robot";
  static final String PASSWORD = "token-pass";

  @TempDir Path dir;
  HttpServer tokens;
  KeyPair signer;
  byte[] certDer;
  RegistryServer registry;
  final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path cert = dir.resolve("token/cert.pem");
    signer = RegistryServer.tokenSigner(cert);
    certDer = Files.readAllBytes(dir.resolve("token/cert.pem.der"));
    tokens = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokens.createContext("/token", this::issue);
    tokens.start();
    String realm = "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token";
    registry = RegistryServer.tokenAuth(dir.resolve("registry"), realm, SERVICE, cert);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
    tokens.stop(0);
  }

  private void issue(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> q = new HashMap<>();
      for (String p : ex.getRequestURI().getRawQuery().split("&")) {
        int eq = p.indexOf('=');
        q.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
      }
      tokenRequests.add(q.get("scope"));
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.sendResponseHeaders(401, -1);
        return;
      }
      String[] scope = q.get("scope").split(":");
      byte[] body =
          ("{\"token\": \"" + jwt(q.get("service"), scope[1], scope[2].split(",")) + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private String jwt(String audience, String repository, String[] actions) throws Exception {
    ObjectNode header = Artifacts.JSON.createObjectNode();
    header.put("typ", "JWT").put("alg", "ES256");
    header.putArray("x5c").add(Base64.getEncoder().encodeToString(certDer));
    long now = Instant.now().getEpochSecond();
    ObjectNode claims = Artifacts.JSON.createObjectNode();
    claims.put("iss", "k8s-wasm-test-issuer").put("sub", USER).put("aud", audience);
    claims
        .put("exp", now + 300)
        .put("nbf", now - 10)
        .put("iat", now)
        .put("jti", UUID.randomUUID().toString());
    ObjectNode access = claims.putArray("access").addObject();
    access.put("type", "repository").put("name", repository);
    Arrays.stream(actions).forEach(access.putArray("actions")::add);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(Artifacts.JSON.writeValueAsBytes(header))
            + "."
            + b64.encodeToString(Artifacts.JSON.writeValueAsBytes(claims));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer.getPrivate());
    s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64.encodeToString(rawSignature(s.sign()));
  }

  /** JWS wants ECDSA signatures as r||s, 32 bytes each; the JDK makes DER. */
  private static byte[] rawSignature(byte[] der) {
    int offset = der[1] == (byte) 0x81 ? 3 : 2;
    int rLen = der[offset + 1];
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(der, offset + 2, offset + 2 + rLen));
    int sStart = offset + 2 + rLen;
    int sLen = der[sStart + 1];
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, sStart + 2, sStart + 2 + sLen));
    byte[] out = new byte[64];
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    System.arraycopy(
        rb,
        Math.max(0, rb.length - 32),
        out,
        32 - Math.min(32, rb.length),
        Math.min(32, rb.length));
    System.arraycopy(
        sb,
        Math.max(0, sb.length - 32),
        out,
        64 - Math.min(32, sb.length),
        Math.min(32, sb.length));
    return out;
  }

  Oci client(Path dockerConfig) throws IOException {
    Path sources =
        Files.writeString(
            dir.resolve("sources.yml"), "insecure_sources: [\"" + registry.address() + "\"]\n");
    return Oci.of(
        OciOptions.builder()
            .sources(sources)
            .dockerConfig(dockerConfig)
            .storeDir(dir.resolve("store"))
            .build());
  }

  @Test
  void tokensAreFetchedWithTheDockerConfigCredentialsForPushAndPull() throws Exception {
    Oci oci =
        client(
            RegistryServer.dockerConfig(
                dir.resolve("config.json"), registry.address(), USER, PASSWORD));
    String ref = "registry://" + registry.address() + "/policies/tokened:v1";
    String digest = oci.push(Artifacts.POLICY, ref, Map.of());
    StoredModule m = oci.pull(ref);
    assertThat(m.manifestDigest()).contains(digest);
    assertThat(Files.readAllBytes(m.path())).isEqualTo(Files.readAllBytes(Artifacts.POLICY));
    assertThat(tokenRequests)
        .contains("repository:policies/tokened:pull,push", "repository:policies/tokened:pull");
  }

  @Test
  void refusedCredentialsAtTheTokenServiceAreNamedWithoutTheSecret() throws Exception {
    Oci oci =
        client(
            RegistryServer.dockerConfig(
                dir.resolve("bad.json"), registry.address(), USER, "wrong-secret"));
    String ref = "registry://" + registry.address() + "/policies/tokened:v1";
    assertThatThrownBy(() -> oci.pull(ref))
        .hasMessage(
            ref
                + ": the token service refused the credentials for "
                + registry.address()
                + " (401)")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("wrong-secret"));
  }
}
