package dev.k8swasm.serve;

import static dev.k8swasm.serve.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.oci.Oci;
import dev.k8swasm.oci.OciOptions;
import dev.k8swasm.oci.RegistryServer;
import dev.k8swasm.source.SourceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server configuration naming {@code registry://} modules: they are pulled at start and on reload
 * (as {@code k8s-wasm serve} does, with pull policy ALWAYS), the server keeps answering when the
 * registry goes away, and a failed pull on reload keeps the previous version serving.
 */
class RegistryModulesServeTest {
  static final String SAR = Fixture.request("sar-configmaps.json");

  @TempDir Path dir;

  @Test
  void registryModulesServeAndSurviveTheRegistryGoingAway() throws Exception {
    try (RegistryServer registry = RegistryServer.plain(dir.resolve("registry"))) {
      Path sources =
          Files.writeString(
              dir.resolve("sources.yml"), "insecure_sources: [\"" + registry.address() + "\"]\n");
      OciOptions oci = OciOptions.builder().sources(sources).storeDir(dir.resolve("store")).build();
      String allow = "registry://" + registry.address() + "/serve/authz:v1";
      String deny = "registry://" + registry.address() + "/serve/authz:v2";
      Oci.of(oci).push(module("magic_authorizer.wasm"), allow, Map.of());
      Oci.of(oci).push(module("hostile/error_set.wasm"), deny, Map.of());
      Path config = dir.resolve("server.yaml");
      HotReloadTest.writeAtomically(config, authorization(allow));
      SourceOptions sourceOptions =
          SourceOptions.builder()
              .pullPolicy(SourceOptions.PullPolicy.ALWAYS)
              .extension(OciOptions.class, oci)
              .build();
      WebhookServer server =
          WebhookServer.start(
              new WebhookServer.Options(config)
                  .overrides(HotReloadTest.watching().overrides())
                  .specCustomizer(b -> b.extension(SourceOptions.class, sourceOptions)));
      List<X509Certificate> chain = server.certificateChain();
      try (Fixture.Running s =
          new Fixture.Running(
              server,
              Fixture.client(List.of(chain.get(chain.size() - 1)), null, null),
              List.of())) {
        assertThat(HotReloadTest.decision(s.review(WebhookServer.AUTHORIZE, SAR)))
            .isEqualTo("allow");

        // a reload pulls again: the new tag is served
        HotReloadTest.writeAtomically(config, authorization(deny));
        HotReloadTest.awaitTrue(() -> s.server.generation() == 2, "the v2 configuration is loaded");
        assertThat(HotReloadTest.decision(s.review(WebhookServer.AUTHORIZE, SAR)))
            .isEqualTo("no-opinion");

        registry.stop();
        assertThat(HotReloadTest.decision(s.review(WebhookServer.AUTHORIZE, SAR)))
            .isEqualTo("no-opinion");

        // the pull fails: the previous version keeps serving
        HotReloadTest.writeAtomically(config, authorization(allow));
        HotReloadTest.awaitTrue(
            () -> s.metric("k8swasm_reloads_failed_total") >= 1, "the reload is rejected");
        assertThat(s.server.generation()).isEqualTo(2);
        for (int i = 0; i < 20; i++) {
          assertThat(HotReloadTest.decision(s.review(WebhookServer.AUTHORIZE, SAR)))
              .isEqualTo("no-opinion");
        }
        assertThat(s.get(WebhookServer.READYZ).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void aServerCannotStartWhenItsRegistryModuleCannotBePulled() throws Exception {
    Path config = dir.resolve("server.yaml");
    HotReloadTest.writeAtomically(config, authorization("registry://127.0.0.1:1/serve/authz:v1"));
    Path sources =
        Files.writeString(dir.resolve("sources.yml"), "insecure_sources: [\"127.0.0.1:1\"]\n");
    OciOptions oci = OciOptions.builder().sources(sources).storeDir(dir.resolve("store")).build();
    assertThatThrownBy(
            () ->
                WebhookServer.start(
                    new WebhookServer.Options(config)
                        .overrides(new Fixture.Flags().overrides())
                        .specCustomizer(
                            b ->
                                b.extension(
                                    SourceOptions.class,
                                    SourceOptions.builder()
                                        .extension(OciOptions.class, oci)
                                        .build()))))
        .hasMessageContaining(
            "registry://127.0.0.1:1/serve/authz:v1: cannot reach registry 127.0.0.1:1: connection refused");
  }

  static String authorization(String ref) {
    return "authorization:\n  modules:\n  - name: gate\n    module: " + ref + "\n";
  }
}
