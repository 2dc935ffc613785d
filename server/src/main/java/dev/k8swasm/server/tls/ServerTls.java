package dev.k8swasm.server.tls;

import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's TLS setup: TLS 1.2 and 1.3 only, forward-secret AEAD cipher suites only, and client
 * certificates required when a client CA is given. The key, certificate chain and client CA can be
 * replaced while serving ({@link #update}), so a rotated certificate (e.g. by cert-manager) is
 * picked up without a restart; connections already open keep their session. Client-initiated
 * renegotiation is refused (it lets a client make the server redo expensive handshakes).
 */
public final class ServerTls {
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** A key and its certificate chain (leaf first). */
  public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {
    /** Checks the chain is not empty. */
    public KeyMaterial {
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("empty certificate chain");
      }
    }

    /**
     * Reads a PEM certificate chain and a PEM private key, checking that they belong together.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static KeyMaterial read(Path certFile, Path keyFile) {
      List<X509Certificate> chain = Pem.certificates(certFile);
      PrivateKey key = Pem.privateKey(keyFile);
      Pem.checkPair(key, chain.get(0), keyFile.toString());
      return new KeyMaterial(key, chain);
    }
  }

  private final SSLContext context;
  private final RotatingKeyManager keys;
  private final RotatingTrustManager clients;

  /**
   * TLS with {@code material}; when {@code clientCas} is non-null, clients must present a
   * certificate signed by one of them.
   */
  public ServerTls(KeyMaterial material, List<X509Certificate> clientCas) {
    this.keys = new RotatingKeyManager(material);
    this.clients = clientCas == null ? null : new RotatingTrustManager(trustManager(clientCas));
    try {
      context = SSLContext.getInstance("TLS");
      context.init(
          new javax.net.ssl.KeyManager[] {keys},
          clients == null ? null : new TrustManager[] {clients},
          null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e, e);
    }
  }

  /** Whether client certificates are required. */
  public boolean mutual() {
    return clients != null;
  }

  /** The current certificate chain. */
  public List<X509Certificate> chain() {
    return keys.current().chain();
  }

  /** Replaces the key material and (when mutual) the client CAs for new connections. */
  public void update(KeyMaterial material, List<X509Certificate> clientCas) {
    keys.update(material);
    if (clients != null && clientCas != null) {
      clients.delegate = trustManager(clientCas);
    }
  }

  /**
   * Jetty's TLS setup for a connector: TLS 1.2 and 1.3, strong suites, client certificates required
   * when mutual, no renegotiation, and ALPN offering {@code h2} then {@code http/1.1}.
   */
  public SslContextFactory.Server sslContextFactory() {
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
    String[] protocols = PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
    String[] suites =
        Arrays.stream(context.getDefaultSSLParameters().getCipherSuites())
            .filter(ServerTls::strong)
            .toArray(String[]::new);
    SslContextFactory.Server f = new SslContextFactory.Server();
    f.setSslContext(context);
    f.setIncludeProtocols(protocols);
    f.setIncludeCipherSuites(suites);
    f.setRenegotiationAllowed(false);
    f.setRenegotiationLimit(0);
    f.setNeedClientAuth(mutual());
    // HTTP/2 forbids TLS 1.2 suites that are not AEAD; ours are all AEAD
    f.setUseCipherSuitesOrder(true);
    f.setSniRequired(false);
    // hostname checks are the client's business
    f.setEndpointIdentificationAlgorithm(null);
    return f;
  }

  /** TLS 1.3 suites, and TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305. */
  public static boolean strong(String suite) {
    if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
      return true;
    }
    return suite.startsWith("TLS_ECDHE_")
        && (suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"));
  }

  private static X509ExtendedTrustManager trustManager(List<X509Certificate> cas) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      f.init(store);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up client certificate checks: " + e, e);
    }
  }

  /**
   * Serves the current key material; the previous one stays reachable by its alias, so a handshake
   * that started before an update completes with the key it chose.
   */
  static final class RotatingKeyManager extends X509ExtendedKeyManager {
    private final AtomicInteger generation = new AtomicInteger();
    private volatile Map<String, KeyMaterial> byAlias;
    private volatile String currentAlias;

    RotatingKeyManager(KeyMaterial material) {
      update(material);
    }

    synchronized void update(KeyMaterial material) {
      String alias = "k8s-wasm-" + generation.incrementAndGet();
      KeyMaterial previous = byAlias == null ? null : byAlias.get(currentAlias);
      byAlias =
          previous == null
              ? Map.of(alias, material)
              : Map.of(alias, material, currentAlias, previous);
      currentAlias = alias;
    }

    KeyMaterial current() {
      return byAlias.get(currentAlias);
    }

    private String alias(String keyType) {
      String alias = currentAlias;
      KeyMaterial m = byAlias.get(alias);
      return m != null && keyType != null && keyType.equals(m.key().getAlgorithm()) ? alias : null;
    }

    private String[] aliases(String keyType) {
      String a = alias(keyType);
      return a == null ? null : new String[] {a};
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return aliases(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      KeyMaterial m = byAlias.get(alias);
      return m == null ? null : m.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      KeyMaterial m = byAlias.get(alias);
      return m == null ? null : m.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return null;
    }
  }

  /** Checks client certificates against the current client CAs. */
  static final class RotatingTrustManager extends X509ExtendedTrustManager {
    volatile X509ExtendedTrustManager delegate;

    RotatingTrustManager(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("this trust manager only checks clients");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("this trust manager only checks clients");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("this trust manager only checks clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  /** A trust manager for clients of this server in tests and tools: trusts exactly {@code cas}. */
  public static X509TrustManager trusting(List<X509Certificate> cas) {
    return trustManager(new ArrayList<>(cas));
  }
}
