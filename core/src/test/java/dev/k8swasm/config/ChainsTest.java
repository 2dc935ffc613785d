package dev.k8swasm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.GroupVersionResource;
import dev.k8swasm.admission.ReinvocationPolicy;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.authz.SubjectAccessReviewSpec;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.FakeRuntime;
import dev.k8swasm.testing.FakeRuntime.Loaded;
import dev.k8swasm.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chains built from configuration, with {@link FakeRuntime} (registered as type {@code wasi} on
 * core's test class path) loading JSON "modules".
 */
class ChainsTest {
  @TempDir Path dir;

  static final String AUTHN_OK =
      "{\"kinds\":[\"AUTHENTICATION\"],\"answer\":{\"apiVersion\":\"authentication.k8s.io/v1\","
          + "\"kind\":\"TokenReview\",\"status\":{\"authenticated\":true,\"user\":{\"username\":\"magic-user\"}}}}";
  static final String AUTHZ_ALLOW =
      "{\"kinds\":[\"AUTHORIZATION\"],\"answer\":{\"apiVersion\":\"authorization.k8s.io/v1\","
          + "\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":true,\"reason\":\"magic\"}}}";
  static final String ADMIT =
      "{\"kinds\":[\"ADMISSION\"],\"answer\":{\"apiVersion\":\"admission.k8s.io/v1\","
          + "\"kind\":\"AdmissionReview\",\"response\":{\"allowed\":true,\"warnings\":[\"seen\"]}}}";

  Path write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  List<Loaded> loaded() {
    return FakeRuntime.loadedUnder(dir);
  }

  static AdmissionResponse admitConfigMap(AdmissionChain chain) {
    return chain
        .admit(
            AdmissionReview.of(
                AdmissionRequest.builder()
                    .uid("u")
                    .operation("CREATE")
                    .resource(GroupVersionResource.of("", "v1", "configmaps"))
                    .namespace("default")
                    .object(FakeModule.parse("{\"metadata\":{\"name\":\"cm\"}}"))
                    .build()))
        .response();
  }

  @Test
  void anAuthenticatorChainIsBuiltFromConfiguration() throws IOException {
    write("modules/magic.wasm", AUTHN_OK);
    Path config =
        write(
            "conf/authn.yaml",
            """
            modules:
            - name: magic-authenticator
              module: ../modules/magic.wasm
              settings: {greeting: hello}
              debug: true
              timeout: 3s
              maxMemory: 32Mi
              engine: interpreter
              strategy: snapshot
              executionMode: wasi
            """);

    try (AuthenticatorChain chain = Chains.authenticator(config)) {
      AuthenticationResult result = chain.authenticate(TokenReview.forToken("magic-token", null));

      assertThat(result.authenticated()).isTrue();
      assertThat(result.user().username()).isEqualTo("magic-user");
      assertThat(result.authenticatedBy()).isEqualTo("magic-authenticator");
    }
    Loaded only = loaded().get(0);
    assertThat(loaded()).hasSize(1);
    ModuleSpec spec = only.spec();
    assertThat(spec.name()).isEqualTo("magic-authenticator");
    assertThat(spec.path()).contains(dir.resolve("modules/magic.wasm").toAbsolutePath());
    assertThat(spec.type()).isEqualTo(ModuleType.WASI);
    assertThat(spec.settings()).contains(FakeModule.parse("{\"greeting\":\"hello\"}"));
    assertThat(spec.debug()).isTrue();
    assertThat(spec.limits().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(spec.limits().maxMemoryBytes()).isEqualTo(32L << 20);
    assertThat(spec.engine()).isEqualTo(Engine.INTERPRETER);
    assertThat(spec.strategy()).isEqualTo(InstanceStrategy.SNAPSHOT);
    assertThat(spec.options()).containsOnlyKeys("executionMode");
    assertThat(only.module().closeCount()).as("closed with the chain").isEqualTo(1);
  }

  @Test
  void implicitAudiencesReachTheAuthenticators() throws IOException {
    write(
        "m.wasm",
        "{\"answer\":{\"status\":{\"authenticated\":true,\"user\":{\"username\":\"u\"}}}}");
    PolicyConfig config =
        ConfigLoader.load(
            write("c.yaml", "implicitAudiences: [server]\nmodules: [{module: m.wasm}]\n"));

    try (AuthenticatorChain chain = Chains.authenticator(config, ChainOptions.defaults())) {
      assertThat(chain.authenticate(TokenReview.forToken("t", List.of("server"))).authenticated())
          .isTrue();
      assertThat(chain.authenticate(TokenReview.forToken("t", List.of("other"))).authenticated())
          .isFalse();
    }
  }

  @Test
  void modulesThatLackTheKindAreRejectedClearlyAndEverythingIsClosed() throws IOException {
    write("authn.wasm", AUTHN_OK);
    write("authz.wasm", AUTHZ_ALLOW);
    Path config = write("c.yaml", "modules:\n- module: authn.wasm\n- module: authz.wasm\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Chains.authorizer(config));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith(
            config + ": modules[0] (authn): module 'authn' cannot evaluate SubjectAccessReviews")
        .contains("must export 'authz'")
        .contains("AUTHENTICATION");
    assertThat(loaded())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void theExportNamedForEachKind() throws IOException {
    write("none.wasm", "{\"kinds\":[]}");
    PolicyConfig config = ConfigLoader.load(write("c.yaml", "modules: [{module: none.wasm}]\n"));

    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () -> Chains.authenticator(config, ChainOptions.defaults()))
                .getMessage())
        .contains("cannot evaluate TokenReviews")
        .contains("'authn'");
    assertThat(
            catchThrowableOfType(
                    ConfigException.class, () -> Chains.authorizer(config, ChainOptions.defaults()))
                .getMessage())
        .contains("cannot evaluate SubjectAccessReviews")
        .contains("'authz'");
    assertThat(
            catchThrowableOfType(
                    ConfigException.class, () -> Chains.admission(config, ChainOptions.defaults()))
                .getMessage())
        .contains("cannot evaluate AdmissionReviews")
        .contains("'validate'");
  }

  @Test
  void loadFailuresAreReportedWithTheModulesSourceAllAtOnce() throws IOException {
    write("good.wasm", AUTHN_OK);
    write("bad.wasm", "{\"fail\":\"LOAD_FAILED\",\"detail\":\"unknown import env.foo\"}");
    write(
        "settings.wasm",
        "{\"fail\":\"INVALID_SETTINGS\",\"detail\":\"greeting must be a string\"}");
    Path config =
        write(
            "c.yaml",
            "modules:\n- module: good.wasm\n- module: bad.wasm\n- module: missing.wasm\n- module: settings.wasm\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Chains.authenticator(config));

    assertThat(e.problems())
        .containsExactly(
            config + ": modules[1] (bad): module 'bad': unknown import env.foo [LOAD_FAILED]",
            config
                + ": modules[2] (missing): module 'missing': file not found: "
                + dir.resolve("missing.wasm").toAbsolutePath()
                + " [LOAD_FAILED]",
            config
                + ": modules[3] (settings): module 'settings': greeting must be a string [INVALID_SETTINGS]");
    assertThat(loaded())
        .singleElement()
        .satisfies(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void aRuntimeThatCrashesStillLeavesNothingOpen() throws IOException {
    write("good.wasm", AUTHN_OK);
    write("crash.wasm", "{\"crash\":\"runtime bug\"}");
    Path config = write("c.yaml", "modules:\n- module: good.wasm\n- module: crash.wasm\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Chains.authenticator(config));

    assertThat(e.getMessage()).contains("modules[1] (crash)").contains("runtime bug");
    assertThat(loaded())
        .singleElement()
        .satisfies(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void authorizerFailurePoliciesAreParsed() throws IOException {
    write(
        "fails.wasm", "{\"kinds\":[\"AUTHORIZATION\"],\"answer\":{\"status\":\"not an object\"}}");
    write("allows.wasm", AUTHZ_ALLOW);
    SubjectAccessReview review =
        SubjectAccessReview.of(
            new SubjectAccessReviewSpec(
                ResourceAttributes.of("get", "", "configmaps", "default"),
                null,
                "u",
                List.of("g"),
                null,
                null,
                null,
                null));

    try (AuthorizerChain deny =
        Chains.authorizer(
            write(
                "deny.yaml",
                "modules:\n- module: fails.wasm\n  failurePolicy: Deny\n- module: allows.wasm\n"))) {
      AuthorizationDecision decision = deny.authorize(review);
      assertThat(decision.decision()).isEqualTo(AuthorizationDecision.Decision.DENY);
      assertThat(decision.decidedBy()).isEqualTo("fails");
    }
    try (AuthorizerChain noOpinion =
        Chains.authorizer(
            write(
                "noop.yaml",
                "modules:\n- module: fails.wasm\n  failurePolicy: NoOpinion\n- module: allows.wasm\n"))) {
      AuthorizationDecision decision = noOpinion.authorize(review);
      assertThat(decision.decision()).isEqualTo(AuthorizationDecision.Decision.ALLOW);
      assertThat(decision.reason()).isEqualTo("magic");
    }
    try (AuthorizerChain byDefault =
        Chains.authorizer(
            write("default.yaml", "modules:\n- module: fails.wasm\n- module: allows.wasm\n"))) {
      assertThat(byDefault.authorize(review).decision())
          .isEqualTo(AuthorizationDecision.Decision.ALLOW);
    }
  }

  @Test
  void aBadAuthorizerFailurePolicyIsAProblemAndEverythingIsClosed() throws IOException {
    write("allows.wasm", AUTHZ_ALLOW);
    Path config = write("c.yaml", "modules:\n- module: allows.wasm\n  failurePolicy: Ignore\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> Chains.authorizer(config));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith(config + ": modules[0] (allows): field 'failurePolicy': ")
        .contains("use NoOpinion or Deny");
    assertThat(loaded())
        .singleElement()
        .satisfies(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void admissionHooksTakeTheirSettingsFromConfiguration() throws IOException {
    write("m.wasm", ADMIT);
    write("v.wasm", ADMIT);
    Path config =
        write(
            "c.yaml",
            """
            modules:
            - name: v
              module: v.wasm
              failurePolicy: Ignore
              rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]
              namespaceSelector: {matchLabels: {env: prod}}
              objectSelector: {matchLabels: {app: web}}
            - name: m
              module: m.wasm
              mutating: true
              reinvocationPolicy: IfNeeded
              rules: [{operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*/*"]}]
            """);

    try (AdmissionChain chain = Chains.admission(config)) {
      assertThat(chain.mutators()).extracting(AdmissionHook::name).containsExactly("m");
      assertThat(chain.validators()).extracting(AdmissionHook::name).containsExactly("v");
      AdmissionHook m = chain.mutators().get(0);
      assertThat(m.mutating()).isTrue();
      assertThat(m.controller().mutating()).isTrue();
      assertThat(m.reinvocationPolicy()).isEqualTo(ReinvocationPolicy.IF_NEEDED);
      assertThat(m.failurePolicy()).isEqualTo(FailurePolicy.FAIL);
      assertThat(m.rules())
          .containsExactly(
              RuleWithOperations.of(List.of("*"), List.of("*"), List.of("*"), List.of("*/*")));
      AdmissionHook v = chain.validators().get(0);
      assertThat(v.failurePolicy()).isEqualTo(FailurePolicy.IGNORE);
      assertThat(v.reinvocationPolicy()).isEqualTo(ReinvocationPolicy.NEVER);
      assertThat(v.namespaceSelector().matchLabels()).containsExactly(Map.entry("env", "prod"));
      assertThat(v.objectSelector().matchLabels()).containsExactly(Map.entry("app", "web"));
    }
    assertThat(loaded())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void rulesAndMutatingComeFromModuleMetadataWhenNotConfigured() throws IOException {
    String withMetadata =
        "{\"kinds\":[\"ADMISSION\"],\"metadata\":{\"mutating\":true,\"rules\":[{\"operations\":[\"CREATE\"],"
            + "\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\"]}]},"
            + "\"answer\":"
            + FakeModule.parse(ADMIT).get("answer")
            + "}";
    write("meta.wasm", withMetadata);
    write("plain.wasm", ADMIT);
    Path config =
        write(
            "c.yaml",
            """
            modules:
            - name: from-metadata
              module: meta.wasm
            - name: overridden
              module: meta.wasm
              mutating: false
              rules: [{operations: [DELETE], apiGroups: [apps], apiVersions: [v1], resources: [deployments]}]
            - name: no-rules
              module: plain.wasm
            """);

    try (AdmissionChain chain = Chains.admission(config)) {
      assertThat(chain.mutators()).extracting(AdmissionHook::name).containsExactly("from-metadata");
      assertThat(chain.mutators().get(0).rules())
          .containsExactly(
              RuleWithOperations.of(
                  List.of("CREATE"), List.of(""), List.of("v1"), List.of("configmaps")));
      assertThat(chain.validators())
          .extracting(AdmissionHook::name)
          .containsExactly("overridden", "no-rules");
      assertThat(chain.validators().get(0).rules().get(0).operations()).containsExactly("DELETE");
      assertThat(chain.validators().get(1).rules()).isEmpty();

      AdmissionResponse response = admitConfigMap(chain);
      assertThat(response.allowed()).isTrue();
      assertThat(response.warnings()).containsExactly("seen");
    }
    List<Loaded> modules = loaded();
    assertThat(modules).extracting(l -> l.module().calls()).containsExactly(1, 0, 0);
  }

  @Test
  void malformedMetadataRulesFailTheModuleLoadAndEverythingIsClosed() throws IOException {
    write("plain.wasm", ADMIT);
    write(
        "meta.wasm",
        "{\"kinds\":[\"ADMISSION\"],\"metadata\":{\"rules\":[{\"operations\":\"CREATE\"}]}}");
    Path config = write("c.yaml", "modules:\n- module: plain.wasm\n- module: meta.wasm\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Chains.admission(config));

    assertThat(e).isNotNull();
    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith(config + ": modules[1] (meta): ")
        .contains("invalid metadata: rules[0]: not a valid RuleWithOperations");
    assertThat(loaded())
        .singleElement()
        .satisfies(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void badAdmissionPoliciesAreProblemsAndEverythingIsClosed() throws IOException {
    write("a.wasm", ADMIT);
    Path config =
        write(
            "c.yaml",
            "modules:\n- name: one\n  module: a.wasm\n  failurePolicy: Deny\n"
                + "- name: two\n  module: a.wasm\n  reinvocationPolicy: Always\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Chains.admission(config));

    assertThat(e.problems())
        .containsExactly(
            config
                + ": modules[0] (one): field 'failurePolicy': unknown failurePolicy 'Deny': use Fail or Ignore",
            config
                + ": modules[1] (two): field 'reinvocationPolicy': unknown reinvocationPolicy 'Always': use Never or IfNeeded");
    assertThat(loaded())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void chainOptionsReachEveryModule() throws IOException {
    write("v.wasm", ADMIT);
    RecordingListener listener = new RecordingListener();
    Path config =
        write(
            "c.yaml",
            "modules:\n- module: v.wasm\n  rules: [{operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*']}]\n"
                + "  namespaceSelector: {matchLabels: {env: prod}}\n");
    ChainOptions options =
        ChainOptions.builder()
            .listener(listener)
            .namespaceLabels(ns -> Optional.of(Map.of("env", "prod")))
            .specCustomizer(b -> b.limits(Limits.builder().timeout(Duration.ofMillis(250)).build()))
            .build();

    try (AdmissionChain chain = Chains.admission(ConfigLoader.load(config), options)) {
      AdmissionResponse response = admitConfigMap(chain);

      assertThat(response.allowed()).isTrue();
      assertThat(response.warnings()).containsExactly("seen");
    }
    assertThat(listener.evaluations())
        .singleElement()
        .satisfies(ev -> assertThat(ev.module()).isEqualTo("v"));
    assertThat(loaded().get(0).spec().limits().timeout()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void theModuleDecoratorWrapsEveryModuleTheChainAsksAndCloses() throws IOException {
    write("v.wasm", ADMIT);
    Path config =
        write(
            "c.yaml",
            "modules:\n- module: v.wasm\n  rules: [{operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*']}]\n");
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ChainOptions options =
        ChainOptions.builder()
            .moduleDecorator(
                m ->
                    new dev.k8swasm.module.PolicyModule() {
                      @Override
                      public String name() {
                        return m.name();
                      }

                      @Override
                      public java.util.Set<dev.k8swasm.module.ReviewKind> kinds() {
                        return m.kinds();
                      }

                      @Override
                      public com.fasterxml.jackson.databind.JsonNode evaluate(
                          dev.k8swasm.module.ReviewKind kind, byte[] request) {
                        seen.add("evaluate " + name());
                        return m.evaluate(kind, request);
                      }

                      @Override
                      public void close() {
                        seen.add("close " + name());
                        m.close();
                      }
                    })
            .build();

    try (AdmissionChain chain = Chains.admission(ConfigLoader.load(config), options)) {
      assertThat(admitConfigMap(chain).warnings()).containsExactly("seen");
    }

    assertThat(seen).containsExactly("evaluate v", "close v");
    assertThat(ChainOptions.defaults().toBuilder().build().moduleDecorator().apply(null)).isNull();
  }

  @Test
  void anAdmissionConfigurationFileWorksEndToEnd() throws IOException {
    write("modules/v.wasm", ADMIT);
    write(
        "policies/wasm.yaml",
        "modules:\n- module: ../modules/v.wasm\n  rules: [{operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps']}]\n");
    Path wrapper =
        write(
            "conf/admission.yaml",
            "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: WASM\n  path: ../policies/wasm.yaml\n");

    try (AdmissionChain chain = Chains.admission(wrapper)) {
      assertThat(admitConfigMap(chain).warnings()).containsExactly("seen");
    }
  }

  @Test
  void specMirrorsTheModuleConfig() throws IOException {
    PolicyConfig config =
        ConfigLoader.load(
            write(
                "c.yaml",
                "modules:\n- module: x.wasm\n  type: kubewarden\n  settings: [1]\n  policyMode: monitor\n"));

    ModuleSpec spec = Chains.spec(config.modules().get(0)).build();

    assertThat(spec.type()).isEqualTo(ModuleType.KUBEWARDEN);
    assertThat(spec.settings()).contains(FakeModule.parse("[1]"));
    assertThat(spec.options().get("policyMode").asText()).isEqualTo("monitor");
    assertThat(spec.strategy()).isEqualTo(InstanceStrategy.SNAPSHOT);
    assertThat(spec.limits()).isEqualTo(Limits.defaults());
  }

  @Test
  void anEmptyConfigurationGivesEmptyChains() throws IOException {
    Path config = write("c.yaml", "modules: []\n");

    try (AuthenticatorChain authn = Chains.authenticator(config);
        AuthorizerChain authz = Chains.authorizer(config);
        AdmissionChain admission = Chains.admission(config)) {
      assertThat(authn.authenticators()).isEmpty();
      assertThat(authz.authorizers()).isEmpty();
      assertThat(admission.mutators()).isEmpty();
      assertThat(admission.validators()).isEmpty();
    }
  }
}
