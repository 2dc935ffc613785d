package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ModuleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server configuration file: sections, settings, the files it is made of, and errors. */
class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void sectionsInlineOrByPathAndTheFilesTheyAreMadeOf() throws Exception {
    Path modules = Files.createDirectories(dir.resolve("modules"));
    Files.copy(module("magic_authenticator.wasm"), modules.resolve("authn.wasm"));
    Files.copy(module("magic_authorizer.wasm"), modules.resolve("authz.wasm"));
    Files.copy(module("magic_validator.wasm"), modules.resolve("validator.wasm"));
    Fixture.write(
        dir.resolve("conf/authz.yaml"),
        "modules:\n- name: authz\n  module: ../modules/authz.wasm\n");
    // an AdmissionConfiguration whose plugin points at a module list
    Fixture.write(
        dir.resolve("conf/admission-config.yaml"),
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
            + "- name: WASM\n  path: admission.yaml\n");
    Fixture.write(
        dir.resolve("conf/admission.yaml"),
        "modules:\n- module: ../modules/validator.wasm\n  rules:\n"
            + "  - {operations: [CREATE], apiGroups: [\"\"], apiVersions: [v1],"
            + " resources: [configmaps]}\n");
    Path file =
        Fixture.write(
            dir.resolve("server.yaml"),
            "port: 9443\n"
                + "metricsPort: 9090\n"
                + "maxRequestBytes: 1Mi\n"
                + "gracePeriod: 5s\n"
                + "tlsCertFile: tls/tls.crt\n"
                + "tlsKeyFile: tls/tls.key\n"
                + "authentication:\n"
                + "  implicitAudiences: [api]\n"
                + "  modules:\n"
                + "  - module: modules/authn.wasm\n"
                + "authorization:\n"
                + "  path: conf/authz.yaml\n"
                + "admission:\n"
                + "  path: conf/admission-config.yaml\n");
    ServerConfig c = ServerConfig.read(file);
    assertThat(c.authentication().orElseThrow().implicitAudiences()).containsExactly("api");
    assertThat(c.authentication().orElseThrow().modules())
        .extracting(ModuleConfig::name)
        .containsExactly("authn");
    assertThat(c.authorization().orElseThrow().modules().get(0).module().localPath().orElseThrow())
        .isEqualTo(modules.resolve("authz.wasm"));
    assertThat(c.admission().orElseThrow().modules())
        .extracting(ModuleConfig::name)
        .containsExactly("validator");
    Path abs = dir.toAbsolutePath();
    assertThat(c.files())
        .containsExactlyInAnyOrder(
            abs.resolve("server.yaml"),
            abs.resolve("conf/authz.yaml"),
            abs.resolve("conf/admission-config.yaml"),
            abs.resolve("conf/admission.yaml"),
            abs.resolve("modules/authn.wasm"),
            abs.resolve("modules/authz.wasm"),
            abs.resolve("modules/validator.wasm"));
    ServeSettings s = ServeSettings.resolve(c.settings(), ServeSettings.Overrides.none());
    assertThat(s.port()).isEqualTo(9443);
    assertThat(s.metricsPort()).hasValue(9090);
    assertThat(s.maxRequestBytes()).isEqualTo(1L << 20);
    assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.tlsCert()).hasValue(abs.resolve("tls/tls.crt"));
    assertThat(s.watch()).isTrue();
  }

  @Test
  void flagsOverrideTheFile() {
    Path file =
        Fixture.write(
            dir.resolve("server.yaml"),
            "port: 9443\nworkers: 3\nwatch: false\nauthorization:\n  modules:\n"
                + Fixture.moduleEntry("a", module("magic_authorizer.wasm")));
    Fixture.Flags f = new Fixture.Flags();
    f.port = 10443;
    f.watch = null;
    ServeSettings s = ServeSettings.read(file, f.overrides());
    assertThat(s.port()).isEqualTo(10443);
    assertThat(s.workers()).isEqualTo(3);
    assertThat(s.queueSize()).isEqualTo(ServeSettings.defaultQueueSize(3));
    assertThat(s.watch()).isFalse();
    assertThat(s.address()).isEqualTo("127.0.0.1");
    ServeSettings defaults = ServeSettings.read(file, ServeSettings.Overrides.none());
    assertThat(defaults.address()).isEqualTo("0.0.0.0");
    assertThat(defaults.maxRequestBytes()).isEqualTo(ServeSettings.DEFAULT_MAX_REQUEST_BYTES);
    assertThat(defaults.gracePeriod()).isEqualTo(ServeSettings.DEFAULT_GRACE_PERIOD);
  }

  @Test
  void limitsComeFromTheFileOverTheDefaults() {
    Path file =
        Fixture.write(
            dir.resolve("server.yaml"),
            "workers: 6\nlimits:\n  maxConnections: 10\n  queueTimeout: 3s\n"
                + "  maxConfigBytes: 1Mi\nauthorization:\n  modules:\n"
                + Fixture.moduleEntry("a", module("magic_authorizer.wasm")));
    ServerLimits l = ServeSettings.read(file, ServeSettings.Overrides.none()).limits();
    assertThat(l.maxConnections()).isEqualTo(10);
    assertThat(l.queueTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(l.maxConfigBytes()).isEqualTo(1L << 20);
    // the others keep their defaults, which follow the workers
    assertThat(l.moduleConcurrency()).isEqualTo(3);
    assertThat(l.authenticationWorkers()).isEqualTo(3);
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(30));

    Path bad =
        Fixture.write(
            dir.resolve("bad.yaml"),
            "limits:\n  maxConnections: 0\n  queueTimeout: soon\n  maxThings: 3\n"
                + "authorization:\n  modules:\n"
                + Fixture.moduleEntry("a", module("magic_authorizer.wasm")));
    assertThatThrownBy(() -> ServerConfig.read(bad))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .anySatisfy(
                        p -> assertThat(p).contains("maxConnections").contains("at least 1"))
                    .anySatisfy(p -> assertThat(p).contains("queueTimeout"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("unknown field 'maxThings'")
                                .contains("maxModuleBytes")));
  }

  @Test
  void everyProblemIsReportedWithFileSectionAndField() {
    Path file =
        Fixture.write(
            dir.resolve("server.yaml"),
            "port: 70000\n"
                + "maxRequestBytes: lots\n"
                + "prot: 1\n"
                + "authentication:\n  path: a.yaml\n  modules: []\n"
                + "authorization: [x]\n"
                + "admission:\n  modules:\n  - name: v\n");
    assertThatThrownBy(() -> ServerConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .anySatisfy(p -> assertThat(p).contains("unknown top-level field 'prot'"))
                    .anySatisfy(p -> assertThat(p).contains("'port': not a port number"))
                    .anySatisfy(p -> assertThat(p).contains("'maxRequestBytes': invalid size"))
                    .anySatisfy(
                        p -> assertThat(p).contains("authentication: give either 'path' or"))
                    .anySatisfy(p -> assertThat(p).contains("authorization: expected an object"))
                    .anySatisfy(
                        p -> assertThat(p).contains("admission: modules[0] (v): no module path")));
  }

  @Test
  void missingFilesAndEmptyConfigurations() {
    assertThatThrownBy(() -> ServerConfig.read(dir.resolve("nope.yaml")))
        .hasMessageContaining("nope.yaml: file not found");
    Path empty = Fixture.write(dir.resolve("empty.yaml"), "port: 8443\n");
    assertThatThrownBy(() -> ServerConfig.read(empty))
        .hasMessageContaining("no section configured");
    Path missing =
        Fixture.write(dir.resolve("missing.yaml"), "authorization:\n  path: not-there.yaml\n");
    assertThatThrownBy(() -> ServerConfig.read(missing))
        .hasMessageContaining("not-there.yaml: file not found");
    // still watched, so creating it triggers a reload
    assertThat(ServerConfig.filesOf(missing))
        .contains(dir.toAbsolutePath().resolve("not-there.yaml"));
  }

  @Test
  void aModuleThatCannotDoTheSectionsKindIsRejectedAtLoad() {
    Path file =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authentication:\n  modules:\n"
                + Fixture.moduleEntry("wrong", module("magic_validator.wasm"))
                + "authorization:\n  modules:\n"
                + Fixture.moduleEntry("missing", dir.resolve("missing.wasm")));
    ServerConfig c = ServerConfig.read(file);
    assertThatThrownBy(() -> Policies.load(c, dev.k8swasm.config.ChainOptions.defaults(), 1))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).contains("must export 'authn'"))
                    .anySatisfy(p -> assertThat(p).contains("missing.wasm")));
  }

  @Test
  void tlsSettingsMustComeInPairs() {
    assertThatThrownBy(
            () ->
                new ServeSettings(
                    "0.0.0.0",
                    8443,
                    java.util.Optional.empty(),
                    java.util.Optional.of(dir.resolve("c")),
                    java.util.Optional.empty(),
                    List.of(),
                    List.of(),
                    1,
                    1,
                    1,
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    true,
                    ServerLimits.defaults(1, 1)))
        .hasMessageContaining("--tls-cert and --tls-key");
  }
}
