package dev.k8swasm.testing;

/** Where the example modules are, relative to this module's directory. */
final class Modules {
  static final String VALIDATOR = "../examples/modules/magic_validator.wasm";
  static final String MUTATOR = "../examples/modules/magic_mutator.wasm";
  static final String AUTHENTICATOR = "../examples/modules/magic_authenticator.wasm";
  static final String AUTHORIZER = "../examples/modules/magic_authorizer.wasm";
  static final String STDERR_THEN_EXIT1 = "../examples/modules/hostile/stderr_then_exit1.wasm";
  static final String ERROR_SET = "../examples/modules/hostile/error_set.wasm";

  static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {colour: blue}
      """;

  static final String FORBIDDEN_CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {not-allowed-value: "x"}
      """;

  private Modules() {}
}
