package dev.k8swasm.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.ReinvocationPolicy;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authz.AuthorizationFailurePolicy;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.testing.FakeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  static final String SEED_YAML =
      """
      modules:
      - name: my-module-1        # optional; default = file name of the module
        module: ../modules/first.wasm
        settings: {}             # optional, any JSON value; passed on every call
        debug: false
        mutating: false
        type: wasi
        rules:
        - operations: ["CREATE", "UPDATE"]
          apiGroups: [""]
          apiVersions: ["v1"]
          resources: ["configmaps"]
      - module: /opt/policies/second.wasm
        settings: {"allowed": ["a", "b"], "limit": 3}
        debug: true
        mutating: true
      """;

  static final String SEED_JSON =
      """
      {"modules": [
        {"name": "my-module-1", "module": "../modules/first.wasm", "settings": {}, "debug": false,
         "mutating": false, "type": "wasi",
         "rules": [{"operations": ["CREATE", "UPDATE"], "apiGroups": [""], "apiVersions": ["v1"],
                    "resources": ["configmaps"]}]},
        {"module": "/opt/policies/second.wasm", "settings": {"allowed": ["a", "b"], "limit": 3},
         "debug": true, "mutating": true}
      ]}
      """;

  Path write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  void policiesAreParsedOnceIntoTheirEnums() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "p.yaml",
                """
                modules:
                - {name: a, module: a.wasm, failurePolicy: fail, reinvocationPolicy: Never}
                - {name: b, module: b.wasm, failurePolicy: NoOpinion}
                - {name: c, module: c.wasm, failurePolicy: deny}
                """));

    assertThat(config.modules().get(0).failurePolicy()).contains(FailurePolicy.FAIL);
    assertThat(config.modules().get(0).reinvocationPolicy()).contains(ReinvocationPolicy.NEVER);
    assertThat(config.modules().get(1).failurePolicy()).isEmpty();
    assertThat(config.modules().get(1).authorizationFailurePolicy())
        .contains(AuthorizationFailurePolicy.NO_OPINION);
    assertThat(config.modules().get(2).authorizationFailurePolicy())
        .contains(AuthorizationFailurePolicy.DENY);
  }

  @Test
  void unknownPoliciesAreKeptAsWrittenForTheChainToReport() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "bad-policies.yaml",
                """
                modules:
                - {name: a, module: a.wasm, failurePolicy: Sometimes}
                - {name: b, module: b.wasm, reinvocationPolicy: Always}
                - {name: c, module: c.wasm, failurePolicy: Ignore}
                """));

    assertThat(config.modules().get(0).invalidFields())
        .containsExactly(Map.entry("failurePolicy", "Sometimes"));
    assertThat(config.modules().get(0).failurePolicy()).isEmpty();
    assertThat(config.modules().get(0).authorizationFailurePolicy()).isEmpty();
    assertThat(config.modules().get(1).invalidFields())
        .containsExactly(Map.entry("reinvocationPolicy", "Always"));
    assertThat(config.modules().get(1).reinvocationPolicy()).isEmpty();
    assertThat(config.modules().get(2).invalidFields()).isEmpty();
  }

  static ConfigException problems(Path file) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
  }

  @Test
  void readsTheSeedYamlFormat() throws IOException {
    Path file = write("conf/config.yaml", SEED_YAML);

    PolicyConfig config = ConfigLoader.load(file);

    assertThat(config.file()).contains(file);
    assertThat(config.implicitAudiences()).isEmpty();
    assertThat(config.modules()).hasSize(2);
    ModuleConfig first = config.modules().get(0);
    assertThat(first.name()).isEqualTo("my-module-1");
    assertThat(first.module().localPath().orElseThrow())
        .isEqualTo(dir.resolve("modules/first.wasm").toAbsolutePath());
    assertThat(first.settings()).contains(FakeModule.parse("{}"));
    assertThat(first.debug()).isFalse();
    assertThat(first.mutating()).contains(false);
    assertThat(first.type()).isEqualTo(ModuleType.WASI);
    assertThat(first.rules())
        .contains(
            List.of(
                RuleWithOperations.of(
                    List.of("CREATE", "UPDATE"),
                    List.of(""),
                    List.of("v1"),
                    List.of("configmaps"))));
    assertThat(first.failurePolicy()).isEmpty();
    assertThat(first.limits()).isEqualTo(Limits.defaults());
    assertThat(first.engine()).isEqualTo(Engine.COMPILER);
    assertThat(first.strategy()).isEmpty();
    assertThat(first.options()).isEmpty();
    assertThat(first.source()).isEqualTo(file + ": modules[0] (my-module-1)");

    ModuleConfig second = config.modules().get(1);
    assertThat(second.name()).isEqualTo("second");
    assertThat(second.module().localPath().orElseThrow())
        .isEqualTo(Path.of("/opt/policies/second.wasm"));
    assertThat(second.settings())
        .contains(FakeModule.parse("{\"allowed\":[\"a\",\"b\"],\"limit\":3}"));
    assertThat(second.debug()).isTrue();
    assertThat(second.mutating()).contains(true);
    assertThat(second.type()).isEqualTo(ModuleType.WASI);
    assertThat(second.rules()).isEmpty();
  }

  @Test
  void theJsonFormatReadsTheSame() throws IOException {
    PolicyConfig yaml = ConfigLoader.load(write("conf/config.yaml", SEED_YAML));
    PolicyConfig json = ConfigLoader.load(write("conf/config.json", SEED_JSON));

    assertThat(json.modules()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      ModuleConfig y = yaml.modules().get(i);
      ModuleConfig j = json.modules().get(i);
      assertThat(j.name()).isEqualTo(y.name());
      assertThat(j.module()).isEqualTo(y.module());
      assertThat(j.settings()).isEqualTo(y.settings());
      assertThat(j.debug()).isEqualTo(y.debug());
      assertThat(j.mutating()).isEqualTo(y.mutating());
      assertThat(j.rules()).isEqualTo(y.rules());
      assertThat(j.limits()).isEqualTo(y.limits());
    }
  }

  @Test
  void relativeModulePathsAreResolvedAgainstTheConfigFilesFolder() throws IOException {
    Path file =
        write(
            "a/b/config.yaml",
            "modules:\n- module: x.wasm\n- module: ./sub/y.wasm\n- module: ../../z.wasm\n");

    PolicyConfig config = ConfigLoader.load(file);

    assertThat(config.modules())
        .extracting(m -> m.module().localPath().orElseThrow())
        .containsExactly(
            dir.resolve("a/b/x.wasm").toAbsolutePath(),
            dir.resolve("a/b/sub/y.wasm").toAbsolutePath(),
            dir.resolve("z.wasm").toAbsolutePath());
  }

  @Test
  void theDefaultNameIsTheFileNameWithoutWasm() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "c.yaml",
                "modules:\n- module: dir/magic_validator.wasm\n- module: policy.bin\n"
                    + "- module: x.wasm.wasm\n- name: ''\n  module: blank.wasm\n"));

    assertThat(config.modules())
        .extracting(ModuleConfig::name)
        .containsExactly("magic_validator", "policy.bin", "x.wasm", "blank");
  }

  @Test
  void limitsEngineStrategyAndPoliciesAreRead() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "c.yaml",
                """
                modules:
                - module: m.wasm
                  timeout: 1m30s
                  maxMemory: 512Mi
                  maxOutput: 64Ki
                  maxRequest: 1048576
                  maxCallDepth: 500
                  engine: interpreter
                  strategy: snapshot
                  failurePolicy: Ignore
                  reinvocationPolicy: IfNeeded
                  namespaceSelector: {matchLabels: {env: prod}}
                  objectSelector:
                    matchExpressions:
                    - {key: skip, operator: DoesNotExist}
                """));

    ModuleConfig m = config.modules().get(0);
    assertThat(m.limits().timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(m.limits().maxMemoryBytes()).isEqualTo(512L << 20);
    assertThat(m.limits().maxOutputBytes()).isEqualTo(64L << 10);
    assertThat(m.limits().maxRequestBytes()).isEqualTo(1L << 20);
    assertThat(m.limits().maxCallDepth()).isEqualTo(500);
    assertThat(m.limits().maxModuleBytes()).isEqualTo(Limits.defaults().maxModuleBytes());
    assertThat(m.engine()).isEqualTo(Engine.INTERPRETER);
    assertThat(m.strategy()).contains(InstanceStrategy.SNAPSHOT);
    assertThat(m.failurePolicy()).contains(FailurePolicy.IGNORE);
    assertThat(m.authorizationFailurePolicy()).isEmpty();
    assertThat(m.reinvocationPolicy()).contains(ReinvocationPolicy.IF_NEEDED);
    assertThat(m.namespaceSelector().orElseThrow().matches(Map.of("env", "prod"))).isTrue();
    assertThat(m.namespaceSelector().orElseThrow().matches(Map.of("env", "dev"))).isFalse();
    assertThat(m.objectSelector().orElseThrow().matches(Map.of("skip", "1"))).isFalse();
  }

  @Test
  void runtimeKeysAreKeptAsOptions() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "c.yaml",
                """
                modules:
                - module: m.wasm
                  type: kubewarden
                  executionMode: wasi
                  allowedHostCapabilities: ["kubernetes/*"]
                  contextAwareResources: [{apiVersion: v1, kind: Namespace}]
                  policyMode: monitor
                  policyType: validating
                """));

    ModuleConfig m = config.modules().get(0);
    assertThat(m.type()).isEqualTo(ModuleType.KUBEWARDEN);
    assertThat(m.options())
        .containsOnlyKeys(
            "executionMode",
            "allowedHostCapabilities",
            "contextAwareResources",
            "policyMode",
            "policyType");
    assertThat(m.options().get("executionMode").asText()).isEqualTo("wasi");
    assertThat(m.options().get("contextAwareResources"))
        .isEqualTo(FakeModule.parse("[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}]"));
  }

  @Test
  void implicitAudiencesAreRead() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "c.yaml",
                "implicitAudiences: [https://kubernetes.default.svc, api]\nmodules: []\n"));

    assertThat(config.implicitAudiences()).containsExactly("https://kubernetes.default.svc", "api");
    assertThat(config.modules()).isEmpty();
  }

  @Test
  void anAdmissionConfigurationWithInlineConfigurationIsUnwrapped() throws IOException {
    Path file =
        write(
            "conf/admission-configuration.yaml",
            """
            apiVersion: apiserver.config.k8s.io/v1
            kind: AdmissionConfiguration
            plugins:
            - name: ImagePolicyWebhook
              path: ignored.yaml
            - name: WASM
              configuration:
                modules:
                - name: magic-mutator
                  module: ../modules/magic_mutator.wasm
                  mutating: true
            """);

    PolicyConfig config = ConfigLoader.load(file);

    assertThat(config.file()).contains(file);
    ModuleConfig m = config.modules().get(0);
    assertThat(m.name()).isEqualTo("magic-mutator");
    assertThat(m.module().localPath().orElseThrow())
        .isEqualTo(dir.resolve("modules/magic_mutator.wasm").toAbsolutePath());
    assertThat(m.source()).contains(file.toString()).contains("plugins[WASM].configuration");
  }

  @Test
  void anAdmissionConfigurationPathIsResolvedAgainstTheWrapperAndItsModulesAgainstItself()
      throws IOException {
    Path wrapper =
        write(
            "conf/wrapper.yaml",
            """
            apiVersion: apiserver.config.k8s.io/v1
            kind: AdmissionConfiguration
            plugins:
            - name: WASM
              path: ../policies/wasm.yaml
            """);
    Path nested = write("policies/wasm.yaml", "modules:\n- module: mods/v.wasm\n");

    PolicyConfig config = ConfigLoader.load(wrapper);

    ModuleConfig m = config.modules().get(0);
    assertThat(m.module().localPath().orElseThrow())
        .isEqualTo(dir.resolve("policies/mods/v.wasm").toAbsolutePath());
    assertThat(m.source()).startsWith(nested.toAbsolutePath().normalize().toString());
    assertThat(config.file()).contains(wrapper);
  }

  @Test
  void admissionConfigurationProblems() throws IOException {
    assertThat(
            problems(
                    write(
                        "w1.yaml",
                        "apiVersion: v1\nkind: AdmissionConfiguration\nplugins: [{name: WASM, configuration: {modules: []}}]\n"))
                .getMessage())
        .contains("apiVersion 'v1'")
        .contains("apiserver.config.k8s.io/v1");
    assertThat(
            problems(
                    write(
                        "w2.yaml",
                        "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: [{name: Other}]\n"))
                .getMessage())
        .contains("no plugin named WASM");
    assertThat(
            problems(
                    write(
                        "w3.yaml",
                        "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: [{name: WASM}]\n"))
                .getMessage())
        .contains("neither 'configuration' nor 'path'");
    assertThat(
            problems(
                    write(
                        "w4.yaml",
                        "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: [{name: WASM, path: missing.yaml}]\n"))
                .getMessage())
        .contains("missing.yaml")
        .contains("file not found");
    assertThat(
            ConfigLoader.load(
                    write(
                        "w5.yaml",
                        "apiVersion: apiserver.k8s.io/v1alpha1\nkind: AdmissionConfiguration\nplugins: [{name: WASM, configuration: {modules: [{module: a.wasm}]}}]\n"))
                .modules())
        .hasSize(1);
  }

  @Test
  void everyProblemIsReportedAtOnceWithFileModuleAndField() throws IOException {
    Path file =
        write(
            "bad.yaml",
            """
            modules:
            - name: no-path
              settings: {}
            - name: typo
              module: typo.wasm
              timout: 2s
            - name: strange
              module: strange.wasm
              type: docker
            - name: slow
              module: slow.wasm
              timeout: 2x
            - name: big
              module: big.wasm
              maxMemory: lots
            - name: ops
              module: ops.wasm
              rules:
              - operations: ["PATCH"]
                apiGroups: [""]
                apiVersions: ["v1"]
                resources: ["pods"]
            - name: groups
              module: groups.wasm
              rules:
              - operations: ["CREATE"]
                apiVersions: ["v1"]
                resources: ["pods"]
            - name: star
              module: star.wasm
              rules:
              - operations: ["*", "CREATE"]
                apiGroups: ["*", "apps"]
                apiVersions: ["v1", "*"]
                resources: ["pods"]
            - name: selectors
              module: sel.wasm
              namespaceSelector:
                matchExpressions: [{key: env, operator: In}]
              objectSelector:
                matchExpressions: [{key: env, operator: Gt, values: ["1"]}]
            - name: dup
              module: dup1.wasm
            - name: dup
              module: dup2.wasm
            - name: flags
              module: flags.wasm
              debug: "yes"
              mutating: 1
            """);

    ConfigException e = problems(file);

    List<String> p = e.problems();
    String at = file.toString() + ": modules[";
    assertThat(p)
        .anySatisfy(s -> assertThat(s).isEqualTo(at + "0] (no-path): no module path specified"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .isEqualTo(at + "1]: unknown field 'timout' (did you mean 'timeout'?)"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(at + "2] (strange): field 'type': unknown type 'docker'")
                    .contains("use wasi, kubewarden or rego"))
        .anySatisfy(
            s -> assertThat(s).startsWith(at + "3] (slow): field 'timeout': invalid duration '2x'"))
        .anySatisfy(
            s -> assertThat(s).startsWith(at + "4] (big): field 'maxMemory': invalid size 'lots'"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(at + "5] (ops): field 'rules[0]': unknown operation 'PATCH'"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .isEqualTo(at + "6] (groups): field 'rules[0]': 'apiGroups' is required"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .isEqualTo(
                        at
                            + "7] (star): field 'rules[0]': 'operations': '*' must be the only entry"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .isEqualTo(
                        at
                            + "7] (star): field 'rules[0]': 'apiGroups': '*' must be the only entry"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .isEqualTo(
                        at
                            + "7] (star): field 'rules[0]': 'apiVersions': '*' must be the only entry"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(at + "8] (selectors): field 'namespaceSelector': ")
                    .contains("In needs values"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(at + "8] (selectors): field 'objectSelector': ")
                    .contains("unknown operator 'Gt'"))
        .anySatisfy(s -> assertThat(s).isEqualTo(at + "10] (dup): duplicate module name 'dup'"))
        .anySatisfy(
            s -> assertThat(s).isEqualTo(at + "11] (flags): field 'debug': expected true or false"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .isEqualTo(at + "11] (flags): field 'mutating': expected true or false"));
    // and the module files, which this test does not create: reported with the rest
    assertThat(p).filteredOn(s -> !s.contains(" file not found (")).hasSize(15);
    assertThat(p).filteredOn(s -> s.contains(" file not found (")).hasSize(11);
    assertThat(e.getMessage()).startsWith("invalid configuration (26 problems):\n  - ");
  }

  @Test
  void malformedRulesAreReported() throws IOException {
    ConfigException e =
        problems(
            write(
                "rules.yaml",
                """
                modules:
                - module: r.wasm
                  rules:
                  - operations: [CREATE]
                    apiGroups: [""]
                    apiVersions: [v1]
                    resources: ["/pods", "pods/", "a/b/c", ""]
                    scope: Global
                  - operations: []
                    apiGroups: [""]
                    apiVersions: [v1]
                  - "not a rule"
                - module: s.wasm
                  rules: {operations: [CREATE]}
                """));

    assertThat(e.problems())
        .anySatisfy(s -> assertThat(s).contains("rules[0]'").contains("malformed resource '/pods'"))
        .anySatisfy(s -> assertThat(s).contains("malformed resource 'pods/'"))
        .anySatisfy(s -> assertThat(s).contains("malformed resource 'a/b/c'"))
        .anySatisfy(s -> assertThat(s).contains("malformed resource ''"))
        .anySatisfy(s -> assertThat(s).contains("unknown scope 'Global'"))
        .anySatisfy(s -> assertThat(s).contains("rules[1]'").contains("'operations' is required"))
        .anySatisfy(s -> assertThat(s).contains("rules[1]'").contains("'resources' is required"))
        .anySatisfy(
            s -> assertThat(s).contains("rules[2]'").contains("not a valid RuleWithOperations"))
        .anySatisfy(
            s -> assertThat(s).contains("modules[1] (s)").contains("expected a list of rules"));
  }

  @Test
  void aStarAmongResourcesIsAllowed() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "c.yaml",
                "modules:\n- module: a.wasm\n  rules:\n  - operations: ['*']\n    apiGroups: ['*']\n"
                    + "    apiVersions: ['*']\n    resources: ['*', '*/scale']\n    scope: Namespaced\n"));

    assertThat(config.modules().get(0).rules().orElseThrow().get(0).scope())
        .isEqualTo("Namespaced");
  }

  @Test
  void badValuesOfOtherFields() throws IOException {
    ConfigException e =
        problems(
            write(
                "c.yaml",
                """
                modules:
                - module: a.wasm
                  timeout: 2
                  maxOutput: 0
                  maxRequest: [1]
                  maxCallDepth: deep
                  engine: jit
                  strategy: pooled
                  name: 7
                - module: 42
                - "just a string"
                """));

    assertThat(e.problems())
        .anySatisfy(s -> assertThat(s).contains("field 'timeout': invalid duration '2'"))
        .anySatisfy(
            s -> assertThat(s).contains("field 'maxOutput': invalid size '0': must be more than"))
        .anySatisfy(s -> assertThat(s).contains("field 'maxRequest': expected a single value"))
        .anySatisfy(s -> assertThat(s).contains("field 'maxCallDepth'"))
        .anySatisfy(s -> assertThat(s).contains("field 'engine': unknown engine 'jit'"))
        .anySatisfy(s -> assertThat(s).contains("field 'strategy': unknown strategy 'pooled'"))
        .anySatisfy(
            s -> assertThat(s).contains("modules[0]").contains("field 'name': expected a string"))
        .anySatisfy(
            s -> assertThat(s).contains("modules[1]").contains("field 'module': expected a string"))
        .anySatisfy(s -> assertThat(s).contains("modules[1]").contains("no module path specified"))
        .anySatisfy(s -> assertThat(s).contains("modules[2]: expected an object"));
  }

  @Test
  void aFarOffUnknownFieldGetsNoSuggestion() throws IOException {
    Path file = write("c.yaml", "modules:\n- module: /m.wasm\n  colour: blue\n");

    assertThat(problems(file).problems()).contains(file + ": modules[0]: unknown field 'colour'");
  }

  @Test
  void missingModuleFilesAreReportedWithTheOtherProblemsSayingWhereTheyWereLookedFor()
      throws IOException {
    write("conf/present.wasm", "");
    Path file =
        write(
            "conf/c.yaml",
            """
            modules:
            - module: present.wasm
              timout: 2s
            - module: nope.wasm
            - module: ../elsewhere/gone.wasm
            """);

    List<String> p = problems(file).problems();

    Path folder = file.getParent();
    assertThat(p)
        .containsExactly(
            file + ": modules[0]: unknown field 'timout' (did you mean 'timeout'?)",
            file
                + ": modules[1] (nope): field 'module': "
                + folder.resolve("nope.wasm")
                + " file not found ('nope.wasm' is relative, so it was resolved against the"
                + " configuration file's folder "
                + folder
                + ")",
            file
                + ": modules[2] (gone): field 'module': "
                + dir.resolve("elsewhere/gone.wasm")
                + " file not found ('../elsewhere/gone.wasm' is relative, so it was resolved"
                + " against the configuration file's folder "
                + folder
                + ")");
    assertThat(String.join("\n", p)).doesNotContain("working directory");
  }

  @Test
  void topLevelProblems() throws IOException {
    assertThat(problems(write("a.yaml", "modulez: []\n")).problems())
        .containsExactlyInAnyOrder(
            dir.resolve("a.yaml") + ": unknown top-level field 'modulez' (did you mean 'modules'?)",
            dir.resolve("a.yaml") + ": no 'modules' list");
    assertThat(problems(write("b.yaml", "modules: {a: 1}\n")).problems())
        .containsExactly(dir.resolve("b.yaml") + ": 'modules' must be a list");
    assertThat(problems(write("c.yaml", "- a\n- b\n")).getMessage())
        .contains("expected an object with a 'modules' list");
    assertThat(problems(write("d.yaml", "modules: []\nimplicitAudiences: api\n")).getMessage())
        .contains("'implicitAudiences' must be a list of strings");
  }

  @Test
  void unreadableFiles() throws IOException {
    assertThat(problems(dir.resolve("nope.yaml")).getMessage())
        .isEqualTo("invalid configuration: " + dir.resolve("nope.yaml") + ": file not found");
    assertThat(problems(write("broken.yaml", "modules: [\n")).getMessage())
        .contains("broken.yaml")
        .contains("not valid YAML");
    assertThat(problems(write("broken.json", "{\"modules\": [")).getMessage())
        .contains("not valid JSON");
    assertThat(problems(write("empty.yaml", "")).getMessage()).contains("empty");
  }

  @Test
  void parseWithoutBaseDirKeepsRelativePaths() {
    PolicyConfig config =
        ConfigLoader.parse(
            Json.readTree("modules: [{module: rel/x.wasm}]".getBytes(UTF_8)), null, "inline");

    assertThat(config.modules().get(0).module().localPath().orElseThrow())
        .isEqualTo(Path.of("rel/x.wasm"));
    assertThat(config.modules().get(0).source()).isEqualTo("inline: modules[0] (x)");
    assertThat(config.file()).isEmpty();
  }

  @Test
  void parseRejectsNull() {
    assertThatThrownBy(() -> ConfigLoader.parse(null, null, "inline"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("inline: expected an object");
  }

  @Test
  void engineAndStrategyParsers() {
    assertThat(ConfigLoader.parseEngine(" Compiler ")).isEqualTo(Engine.COMPILER);
    assertThat(ConfigLoader.parseEngine("INTERPRETER")).isEqualTo(Engine.INTERPRETER);
    assertThat(ConfigLoader.parseStrategy("Snapshot")).isEqualTo(InstanceStrategy.SNAPSHOT);
    assertThat(ConfigLoader.parseStrategy("fresh")).isEqualTo(InstanceStrategy.FRESH);
    assertThatThrownBy(() -> ConfigLoader.parseEngine("aot"))
        .hasMessageContaining("use compiler or interpreter");
    assertThatThrownBy(() -> ConfigLoader.parseStrategy("pool"))
        .hasMessageContaining("use snapshot or fresh");
  }

  @Test
  void configExceptionMessages() {
    assertThat(new ConfigException("one").getMessage()).isEqualTo("invalid configuration: one");
    assertThat(new ConfigException(List.of("a", "b")).getMessage())
        .isEqualTo("invalid configuration (2 problems):\n  - a\n  - b");
    assertThat(new ConfigException(List.of("a", "b")).problems()).containsExactly("a", "b");
  }
}
