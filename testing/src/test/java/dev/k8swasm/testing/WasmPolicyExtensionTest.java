package dev.k8swasm.testing;

import static dev.k8swasm.testing.WasmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.authn.Authenticator;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs small test classes (the nested static classes below, which Surefire does not run by itself)
 * through JUnit and checks what the extension did for them.
 */
class WasmPolicyExtensionTest {

  /** What the example classes saw, for the checks. */
  static final List<Object> SEEN = new ArrayList<>();

  private static EngineExecutionResults run(Class<?> testClass) {
    SEEN.clear();
    OnlyInTestKit.Condition.running = true;
    try {
      return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    } finally {
      OnlyInTestKit.Condition.running = false;
    }
  }

  private static List<String> failures(EngineExecutionResults results) {
    List<String> messages = new ArrayList<>();
    results.allEvents().failed().stream()
        .map(Event::getPayload)
        .forEach(
            p ->
                p.map(TestExecutionResult.class::cast)
                    .flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(t -> messages.add(String.valueOf(t.getMessage()))));
    return messages;
  }

  private static void assertClosed(PolicyModule module) {
    Assertions.assertThatThrownBy(() -> module.evaluate(ReviewKind.ADMISSION, "{}".getBytes()))
        .isInstanceOf(ModuleException.class)
        .satisfies(e -> assertThat(((ModuleException) e).reason()).isEqualTo(FailureReason.CLOSED));
  }

  // ----------------------------------------------------------------------- class-level

  @OnlyInTestKit
  @WasmPolicy(Modules.VALIDATOR)
  static class ClassLevel {
    @Test
    void first(Policy validator) {
      SEEN.add(validator);
      assertThat(validator.admit(AdmissionReviews.create(Modules.CONFIG_MAP))).isAllowed();
    }

    @Test
    void second(Policy validator, PolicyModule module, AdmissionController controller) {
      SEEN.add(validator);
      SEEN.add(module);
      SEEN.add(controller);
      assertThat(validator.admit(AdmissionReviews.create(Modules.FORBIDDEN_CONFIG_MAP))).isDenied();
    }
  }

  @Test
  void aClassLevelPolicyIsLoadedOnceSharedAndClosedAfterTheClass() {
    EngineExecutionResults results = run(ClassLevel.class);
    assertThat(failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(2));
    Policy first =
        (Policy) SEEN.stream().filter(Policy.class::isInstance).findFirst().orElseThrow();
    assertThat(SEEN.stream().filter(Policy.class::isInstance)).hasSize(2).allMatch(p -> p == first);
    assertThat(SEEN).contains(first.module(), first.admissionController());
    assertThat(first.name()).isEqualTo("magic_validator");
    assertClosed(first.module());
  }

  // ----------------------------------------------------------------------- fields and parameters

  @OnlyInTestKit
  static class Fields {
    @WasmPolicy(Modules.AUTHENTICATOR)
    static Policy authenticator;

    @WasmPolicy(path = Modules.AUTHENTICATOR)
    Authenticator asAuthenticator;

    @BeforeAll
    static void before() {
      SEEN.add(authenticator);
    }

    @Test
    void injected(@WasmPolicy(Modules.AUTHORIZER) Policy authorizer) {
      SEEN.add(authenticator);
      SEEN.add(asAuthenticator);
      SEEN.add(authorizer);
      assertThat(asAuthenticator.authenticate(TokenReviews.forToken("magic-token").build()))
          .isAuthenticatedAs("magic-user");
      assertThat(
              authorizer.authorize(
                  SubjectAccessReviews.user("u").groups("magic-group").resource("configmaps")))
          .isAllowed();
    }

    @Test
    void againSameInstances(
        @WasmPolicy(name = "magic_authenticator") Policy byName,
        @WasmPolicy(Modules.AUTHORIZER) Policy authorizer) {
      SEEN.add(byName);
      SEEN.add(authorizer);
    }
  }

  @Test
  void fieldsStaticOrNotAndParametersAreInjected() {
    EngineExecutionResults results = run(Fields.class);
    assertThat(failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(2));
    Policy authenticator = (Policy) SEEN.get(0);
    assertThat(authenticator).isNotNull();
    // the order of the two tests is not fixed: check by type
    assertThat(SEEN)
        .filteredOn(o -> o instanceof Policy p && p.name().equals("magic_authenticator"))
        .allSatisfy(o -> assertThat(o).isSameAs(authenticator));
    List<Object> authorizers =
        SEEN.stream()
            .filter(o -> o instanceof Policy p && p.name().equals("magic_authorizer"))
            .toList();
    assertThat(authorizers).hasSize(2);
    assertThat(authorizers.get(0)).isSameAs(authorizers.get(1));
    assertThat(SEEN).contains(authenticator.authenticator());
    assertClosed(authenticator.module());
    assertClosed(((Policy) authorizers.get(0)).module());
  }

  // ----------------------------------------------------------------------- configuration

  @OnlyInTestKit
  @WasmConfig("../examples/config/admission.yaml")
  static class Config {
    @WasmConfig(path = "../examples/config/authentication.yaml", name = "authn")
    static PolicyChain authentication;

    @Test
    void admission(
        @WasmConfig(name = "../examples/config/admission.yaml") PolicyChain admission,
        AdmissionChain chain) {
      SEEN.add(admission);
      SEEN.add(chain);
      SEEN.add(admission.admission());
      AdmissionOutcome outcome = admission.admit(AdmissionReviews.create(Modules.CONFIG_MAP));
      assertThat(outcome).isAllowed().mutates().setting("/data/magic-value", "foobar");
      Assertions.assertThat(outcome.calls())
          .extracting(ModuleCall::module)
          .containsExactly("magic-mutator", "magic-validator");
    }

    @Test
    void authentication() {
      assertThat(authentication.authenticate("magic-token"))
          .isAuthenticatedAs("magic-user")
          .authenticatedBy("magic-authenticator");
    }
  }

  @Test
  void aConfigurationGivesItsChains() {
    EngineExecutionResults results = run(Config.class);
    assertThat(failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(2));
    PolicyChain chain = (PolicyChain) SEEN.get(0);
    assertThat(SEEN.get(1)).isSameAs(SEEN.get(2)).isInstanceOf(AdmissionChain.class);
    Assertions.assertThatThrownBy(chain::admission)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("are closed");
  }

  // ----------------------------------------------------------------------- nested classes

  @OnlyInTestKit
  @WasmPolicy(Modules.VALIDATOR)
  static class Outer {
    @Nested
    class Inner {
      @Test
      void seesTheOuterPolicy(Policy validator) {
        SEEN.add(validator);
        assertThat(validator.admit(AdmissionReviews.create(Modules.CONFIG_MAP))).isAllowed();
      }
    }
  }

  @Test
  void nestedClassesSeeTheOuterDeclarations() {
    EngineExecutionResults results = run(Outer.class);
    assertThat(failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(1));
  }

  // ----------------------------------------------------------------------- mistakes

  @OnlyInTestKit
  @WasmPolicy("no/such/module.wasm")
  static class MissingModule {
    @Test
    void test(Policy policy) {}
  }

  @Test
  void aMissingModuleFailsTheClassSayingWhere() {
    List<String> failures = failures(run(MissingModule.class));
    assertThat(failures)
        .singleElement()
        .asString()
        .contains("test class " + MissingModule.class.getName())
        .contains("@WasmPolicy(\"no/such/module.wasm\") cannot be loaded")
        .contains("'no/such/module.wasm' not found");
  }

  @OnlyInTestKit
  @WasmPolicy(Modules.VALIDATOR)
  @WasmPolicy(Modules.MUTATOR)
  static class TwoPolicies {
    @Test
    void ambiguous(Policy policy) {}

    @Test
    void chosen(@WasmPolicy(name = "magic_mutator") Policy mutator) {
      SEEN.add(mutator);
    }

    @Test
    void unknownName(@WasmPolicy(name = "nope") Policy mutator) {}
  }

  @Test
  void severalPoliciesAreChosenByName() {
    EngineExecutionResults results = run(TwoPolicies.class);
    assertThat(failures(results))
        .hasSize(2)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("several candidates [magic_validator, magic_mutator]")
                    .contains("@WasmPolicy(name = \"...\")"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains(
                        "nothing named 'nope' is declared; declared: [magic_validator, magic_mutator]"));
    assertThat(SEEN)
        .singleElement()
        .satisfies(p -> assertThat(((Policy) p).name()).isEqualTo("magic_mutator"));
  }

  @OnlyInTestKit
  @WasmConfig("../examples/config/admission.yaml")
  static class NoDeclaration {
    @Test
    void test(Policy policy) {}
  }

  @Test
  void aPolicyParameterWithoutDeclarationSaysWhatIsMissing() {
    assertThat(failures(run(NoDeclaration.class)))
        .singleElement()
        .asString()
        .contains("no @WasmPolicy declared on the test class");
  }

  @OnlyInTestKit
  @WasmPolicy(value = Modules.VALIDATOR, settings = "{not yaml: [")
  static class BadSettings {
    @Test
    void test(Policy policy) {}
  }

  @OnlyInTestKit
  @WasmPolicy(Modules.VALIDATOR)
  static class WrongFieldType {
    @WasmPolicy(Modules.VALIDATOR)
    static String policy;

    @Test
    void test() {}
  }

  @Test
  void badSettingsAndWrongTypesAreReported() {
    assertThat(failures(run(BadSettings.class)))
        .singleElement()
        .asString()
        .contains("cannot be loaded")
        .contains("not valid");
    assertThat(failures(run(WrongFieldType.class)))
        .singleElement()
        .asString()
        .contains("cannot inject 'magic_validator' as a java.lang.String")
        .contains(
            "supported types: [AdmissionController, Authenticator, Authorizer, Policy, PolicyModule]");
  }

  @Test
  void defaultNames() {
    assertThat(WasmPolicyExtension.defaultName("a/b/c.wasm")).isEqualTo("c");
    assertThat(WasmPolicyExtension.defaultName("c")).isEqualTo("c");
    assertThat(WasmPolicyExtension.defaultName("x\\y.wasm")).isEqualTo("y");
    assertThat(Optional.of(1)).isPresent();
  }
}
