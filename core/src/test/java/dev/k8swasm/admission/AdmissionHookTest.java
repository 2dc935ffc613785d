package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.testing.FakeModule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AdmissionHookTest {

  @Test
  void defaults() {
    AdmissionHook hook =
        AdmissionHook.builder(
                "h", ModuleAdmissionController.validating(FakeModule.of("h", Fixtures.allow())))
            .build();

    assertThat(hook.name()).isEqualTo("h");
    assertThat(hook.mutating()).isFalse();
    assertThat(hook.rules()).isEmpty();
    assertThat(hook.failurePolicy()).isEqualTo(FailurePolicy.FAIL);
    assertThat(hook.reinvocationPolicy()).isEqualTo(ReinvocationPolicy.NEVER);
    assertThat(hook.namespaceSelector()).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(hook.objectSelector()).isEqualTo(LabelSelector.EVERYTHING);
  }

  @Test
  void mutatingIsTheControllers() {
    FakeModule module = FakeModule.of("m", Fixtures.allow());
    ModuleAdmissionController mutator = ModuleAdmissionController.mutating(module);

    assertThat(AdmissionHook.builder("m", mutator).build().mutating()).isTrue();
    assertThat(AdmissionHook.builder("m", ModuleAdmissionController.validating(module)).build())
        .satisfies(h -> assertThat(h.mutating()).isFalse())
        .satisfies(h -> assertThat(h.toString()).doesNotContain("mutating"));
    assertThat(
            AdmissionHook.builder(
                    "m", ModuleAdmissionController.builder(module).mutating(true).build())
                .build()
                .mutating())
        .isTrue();
    assertThat(ModuleAdmissionController.of(module).mutating()).isFalse();
    assertThat(AdmissionHook.builder("m", mutator).build().toString()).contains("m", "mutating");
  }

  @Test
  void rulesAreCopied() {
    java.util.ArrayList<RuleWithOperations> rules =
        new java.util.ArrayList<>(List.of(RuleWithOperations.ALL));
    AdmissionHook hook = AdmissionHook.builder("h", review -> review).rules(rules).build();
    rules.clear();

    assertThat(hook.rules()).containsExactly(RuleWithOperations.ALL);
    assertThat(
            AdmissionHook.builder("h", review -> review)
                .rules(RuleWithOperations.ALL, Fixtures.CONFIGMAPS)
                .build()
                .rules())
        .hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Fail", "fail", "FAIL", " Fail "})
  void failurePolicyFail(String text) {
    assertThat(FailurePolicy.parse(text)).isEqualTo(FailurePolicy.FAIL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ignore", "ignore", "IGNORE"})
  void failurePolicyIgnore(String text) {
    assertThat(FailurePolicy.parse(text)).isEqualTo(FailurePolicy.IGNORE);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Deny", "NoOpinion", "Failed"})
  void failurePolicyRejectsOthers(String text) {
    assertThatThrownBy(() -> FailurePolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use Fail or Ignore");
  }

  @ParameterizedTest
  @ValueSource(strings = {"IfNeeded", "ifneeded", "IFNEEDED", "if_needed"})
  void reinvocationIfNeeded(String text) {
    assertThat(ReinvocationPolicy.parse(text)).isEqualTo(ReinvocationPolicy.IF_NEEDED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Never", "never", " NEVER"})
  void reinvocationNever(String text) {
    assertThat(ReinvocationPolicy.parse(text)).isEqualTo(ReinvocationPolicy.NEVER);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Always", "If Needed"})
  void reinvocationRejectsOthers(String text) {
    assertThatThrownBy(() -> ReinvocationPolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use Never or IfNeeded");
  }
}
