package dev.k8swasm.examples.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.k8swasm.authn.Authenticator;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.RequestAttributes;
import dev.k8swasm.config.Chains;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal API server whose authentication and authorization are WebAssembly modules: a JDK {@link
 * HttpServer} with a {@link WasmAuthFilter} in front of every request. The handler behind the
 * filter stands for the real API; here it answers with who asked what.
 *
 * <pre>
 * java dev.k8swasm.examples.apiserver.ApiServerExample 8080 \
 *     examples/config/authentication.yaml examples/config/authorization.yaml
 * curl -H 'Authorization: Bearer magic-token' localhost:8080/api/v1/namespaces/default/configmaps
 * </pre>
 *
 * A real API server serves HTTPS ({@code com.sun.net.httpserver.HttpsServer}); plain HTTP keeps the
 * example short.
 */
public final class ApiServerExample implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers;
  private final AutoCloseable[] owned;

  private ApiServerExample(HttpServer server, ExecutorService workers, AutoCloseable... owned) {
    this.server = server;
    this.workers = workers;
    this.owned = owned;
  }

  /**
   * Starts a server on {@code address} (port 0: any free port) that authenticates with {@code
   * authenticator} and authorizes with {@code authorizer}.
   */
  public static ApiServerExample start(
      InetSocketAddress address, Authenticator authenticator, Authorizer authorizer)
      throws IOException {
    // docs:start server
    HttpServer server = HttpServer.create(address, 0);
    HttpContext api = server.createContext("/", ApiServerExample::serve);
    api.getFilters().add(new WasmAuthFilter(authenticator, authorizer));
    ExecutorService workers = Executors.newFixedThreadPool(8); // the chains are thread-safe
    // docs:end server
    server.setExecutor(workers);
    server.start();
    return new ApiServerExample(server, workers);
  }

  /**
   * Starts a server whose chains are configured in two files, as {@code k8s-wasm serve} would read
   * them; closing the server closes the chains.
   */
  public static ApiServerExample start(
      InetSocketAddress address, Path authenticationConfig, Path authorizationConfig)
      throws IOException {
    AuthenticatorChain authn = Chains.authenticator(authenticationConfig);
    AuthorizerChain authz;
    try {
      authz = Chains.authorizer(authorizationConfig);
    } catch (RuntimeException e) {
      authn.close();
      throw e;
    }
    ApiServerExample started;
    try {
      started = start(address, authn, authz);
    } catch (IOException | RuntimeException e) {
      authn.close();
      authz.close();
      throw e;
    }
    return new ApiServerExample(started.server, started.workers, authn, authz);
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The API behind the filter: reached only by authenticated, authorized requests. */
  private static void serve(HttpExchange exchange) throws IOException {
    UserInfo user = (UserInfo) exchange.getAttribute(WasmAuthFilter.USER);
    RequestAttributes attributes =
        (RequestAttributes) exchange.getAttribute(WasmAuthFilter.ATTRIBUTES);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("user", user.username());
    body.set("groups", Json.tree(user.groups()));
    body.set("request", Json.toTree(attributes));
    WasmAuthFilter.send(exchange, 200, Json.write(body));
  }

  /** Stops the server and closes the chains it owns. */
  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + c + " failed", e);
      }
    }
  }

  /** {@code ApiServerExample [port] [authentication.yaml] [authorization.yaml]}. */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    Path authn = Path.of(args.length > 1 ? args[1] : "examples/config/authentication.yaml");
    Path authz = Path.of(args.length > 2 ? args[2] : "examples/config/authorization.yaml");
    ApiServerExample server = start(new InetSocketAddress(port), authn, authz);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("listening on http://localhost:" + server.port() + "/");
  }
}
