package dev.k8swasm.examples.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WasmAuthFilterTest {

  @Test
  void bearerTokens() {
    assertThat(WasmAuthFilter.bearerToken("Bearer abc")).isEqualTo("abc");
    assertThat(WasmAuthFilter.bearerToken("bearer  abc ")).isEqualTo("abc");
    assertThat(WasmAuthFilter.bearerToken("Basic abc")).isNull();
    assertThat(WasmAuthFilter.bearerToken("Bearer ")).isNull();
    assertThat(WasmAuthFilter.bearerToken(null)).isNull();
  }
}
