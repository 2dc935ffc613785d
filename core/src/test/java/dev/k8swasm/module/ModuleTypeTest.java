package dev.k8swasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModuleTypeTest {

  @Test
  void theShippedTypesAreConstantsAndOfFindsThem() {
    assertThat(ModuleType.of("wasi")).isSameAs(ModuleType.WASI);
    assertThat(ModuleType.of("kubewarden")).isSameAs(ModuleType.KUBEWARDEN);
    assertThat(ModuleType.WASI.name()).isEqualTo("wasi");
    assertThat(ModuleType.KUBEWARDEN).hasToString("kubewarden");
  }

  @Test
  void anyOtherRuntimeTypeIsAValueEqualByName() {
    ModuleType rego = ModuleType.of("rego");

    assertThat(rego).isEqualTo(ModuleType.of("rego")).isNotEqualTo(ModuleType.WASI);
    assertThat(rego.hashCode()).isEqualTo(ModuleType.of("rego").hashCode());
    assertThat(ModuleType.of("example.com-x1").name()).isEqualTo("example.com-x1");
  }

  @Test
  void invalidNamesAreRejectedWithTheRule() {
    for (String bad : new String[] {"", "WASI", "has space", "-x", "x-", "a/b"}) {
      assertThatThrownBy(() -> ModuleType.of(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid module type '" + bad + "'")
          .hasMessageContaining("lower-case letters");
    }
    assertThatThrownBy(() -> ModuleType.of(null)).isInstanceOf(NullPointerException.class);
  }
}
