package dev.k8swasm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Loads a WebAssembly policy module once per test class and gives it to the tests.
 *
 * <p>On a test class, the module is loaded before the first test and closed after the last; test
 * methods (and lifecycle methods) receive it as a parameter of type {@link Policy}:
 *
 * <pre>{@code
 * @WasmPolicy("modules/magic_validator.wasm")
 * class MagicValidatorTest {
 *   @Test
 *   void deniesTheForbiddenKey(Policy validator) { ... }
 * }
 * }</pre>
 *
 * On a field (static or not) it injects the module into the field; on a parameter it loads the
 * module for that parameter (still once per class). The field or parameter may be a {@link Policy}
 * (recommended: its results carry the evidence failure messages show), or the module as a {@link
 * dev.k8swasm.module.PolicyModule}, {@link dev.k8swasm.authn.Authenticator}, {@link
 * dev.k8swasm.authz.Authorizer} or {@link dev.k8swasm.admission.AdmissionController}.
 *
 * <p>Paths are relative to the project directory, or class path resources (see {@link Fixtures}).
 * The runtime for the module's type must be on the test class path ({@code k8s-wasm-wasi} for
 * {@code wasi}, {@code k8s-wasm-kubewarden-compat} for {@code kubewarden}).
 *
 * <p>Several policies on one class are told apart by name: a parameter annotated
 * {@code @WasmPolicy(name = "magic_validator")} (without a path) receives the one of that name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.PARAMETER})
@Repeatable(WasmPolicies.class)
@ExtendWith(WasmPolicyExtension.class)
public @interface WasmPolicy {

  /** The module file or class path resource; same as {@link #path()}. */
  String value() default "";

  /** The module file or class path resource. */
  String path() default "";

  /** The module's name (default: its file name without {@code .wasm}). */
  String name() default "";

  /** The module type: {@code wasi} (default) or {@code kubewarden}. */
  String type() default "wasi";

  /** The settings as YAML or JSON, e.g. {@code "{forbiddenLabels: [forbidden]}"}. */
  String settings() default "";

  /** A YAML or JSON file or class path resource holding the settings. */
  String settingsFile() default "";

  /** Admission: the module mutates (Kubewarden policies whose metadata says so always do). */
  boolean mutating() default false;

  /** The deadline of one evaluation, e.g. {@code "10s"} (default: the production default). */
  String timeout() default "";

  /**
   * Runtime-specific options as a YAML or JSON map, as in a configuration file, e.g. {@code
   * "{allowedHostCapabilities: ['net/*'], policyMode: monitor}"} for a Kubewarden policy.
   */
  String options() default "";

  /**
   * Kubewarden: a {@code kwctl} recorded host capability session replayed in every test (each
   * exchange answers one call). Tests add stubs through a {@code HostCapabilityStubs} parameter;
   * Kubewarden policies always get stubs, so they never reach the network or a cluster.
   */
  String hostCapabilities() default "";
}
