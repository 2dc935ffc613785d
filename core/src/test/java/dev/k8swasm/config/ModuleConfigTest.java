package dev.k8swasm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleConfigTest {

  @Test
  void aBuiltEntryHasTheLoadersDefaultsAndNothingSet() {
    ModuleConfig c = ModuleConfig.builder("m", Path.of("m.wasm")).build();

    assertThat(c.name()).isEqualTo("m");
    assertThat(c.module().localPath()).contains(Path.of("m.wasm"));
    assertThat(c.type()).isEqualTo(ModuleType.WASI);
    assertThat(c.limits()).isEqualTo(Limits.defaults());
    assertThat(c.engine()).isEqualTo(Engine.COMPILER);
    assertThat(c.debug()).isFalse();
    assertThat(c.options()).isEmpty();
    assertThat(c.source()).isEqualTo("m");
    assertThat(c.settings()).isEmpty();
    assertThat(c.mutating()).isEmpty();
    assertThat(c.rules()).isEmpty();
    assertThat(c.failurePolicy()).isEmpty();
    assertThat(c.authorizationFailurePolicy()).isEmpty();
    assertThat(c.strategy()).isEmpty();
    assertThat(c.namespaceSelector()).isEmpty();
    assertThat(c.objectSelector()).isEmpty();
    assertThat(c.reinvocationPolicy()).isEmpty();
  }

  @Test
  void listsAndMapsAreCopiedAndRequiredPartsChecked() {
    List<RuleWithOperations> rules = new ArrayList<>(List.of(RuleWithOperations.ALL));
    ModuleConfig c =
        ModuleConfig.builder("m", Path.of("m.wasm"))
            .rules(rules)
            .failurePolicy(FailurePolicy.IGNORE)
            .options(Map.of())
            .build();
    rules.clear();

    assertThat(c.rules()).hasValueSatisfying(r -> assertThat(r).hasSize(1));
    assertThat(c.failurePolicy()).contains(FailurePolicy.IGNORE);
    assertThatThrownBy(() -> ModuleConfig.builder("m", Path.of("m.wasm")).type(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ModuleConfig.builder(null, Path.of("m.wasm")))
        .isInstanceOf(NullPointerException.class);
    assertThat(PolicyConfig.of(List.of(c), List.of(), null).file()).isEmpty();
  }
}
